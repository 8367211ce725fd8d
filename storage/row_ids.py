"""Row ids that come from people (typed, clicked, submitted in a form).

Every primary key is an INTEGER, which PostgreSQL keeps in 32 bits and SQLite in 64:
looking up a larger number raised (integer out of range, or OverflowError) instead of
finding nothing. An id from outside goes through `row_id` first.
"""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1


def row_id(value: object) -> int | None:
    """The id `value` names (decimal digits or an int, 1 to MAX_ROW_ID), else None."""
    if isinstance(value, str) and value.isdecimal():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None
    return number if 1 <= number <= MAX_ROW_ID else None
