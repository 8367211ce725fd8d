"""--max-rejects: a number of rows or a share of them."""

from __future__ import annotations

import pytest

from storage.importers.errors import ImportAborted
from storage.importers.rejects import parse_max_rejects


@pytest.mark.parametrize(
    ("option", "rejected", "rows", "exceeded"),
    [
        ("10%", 1, 10, False),
        ("10%", 2, 10, True),
        ("10%", 0, 0, False),
        ("0", 1, 1000, True),
        ("5", 5, 10, False),
        ("5", 6, 10, True),
        ("0.5%", 1, 100, True),
        ("100%", 10, 10, False),
    ],
)
def test_limits(option: str, rejected: int, rows: int, exceeded: bool) -> None:
    assert parse_max_rejects(option).exceeded(rejected, rows) is exceeded


def test_limits_print_as_given() -> None:
    assert str(parse_max_rejects("10%")) == "10%"
    assert str(parse_max_rejects(" 50 ")) == "50"


@pytest.mark.parametrize("option", ["many", "-1", "150%", "2.5", "%", "nan"])
def test_bad_limits_say_how_to_write_them(option: str) -> None:
    with pytest.raises(ImportAborted, match="--max-rejects"):
        parse_max_rejects(option)
