"""INSERT ... ON CONFLICT DO NOTHING RETURNING, on SQLite and PostgreSQL alike.

This is how the bot claims things: the row that gets inserted is the claim, and a
second process inserting the same key gets nothing back. Rows go out in SQLAlchemy's
"insertmanyvalues" batches (a thousand rows a statement), not one statement per row.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def insert_ignoring_conflicts(
    session: Session,
    model: type[DeclarativeBase],
    rows: list[dict[str, Any]],
    conflict_columns: list[str],
) -> list[Any]:
    """Insert rows, skipping those that collide on `conflict_columns`.

    Returns the primary keys of the rows actually inserted (in no promised order).
    Every row must have the same keys.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(Table, model.__table__)
    primary_key = next(iter(table.primary_key.columns))
    statement = (
        insert(table).on_conflict_do_nothing(index_elements=conflict_columns).returning(primary_key)
    )
    if len(rows) == 1:
        return list(session.scalars(statement.values(rows[0])))
    return list(session.scalars(statement, rows))
