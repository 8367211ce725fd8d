"""What an import has seen so far, kept in a temporary table rather than in memory.

A million-row file must not cost a million Python objects: each row's identity (crm_id
or stable key), its place in the files and, for open deals with a name of their own,
the name, go to a temporary table in the import's transaction. From it come duplicate
identities (checked chunk by chunk), the deals a full snapshot no longer lists, and
names shared by several open deals. The table lives and dies with the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.orm import Session

from storage.models import Base

DEALS = Base.metadata.tables["deals"]
SHOWN_NAMES = 20


@dataclass(frozen=True, slots=True)
class Place:
    """Where a row is: which file of the import (0-based) and which line."""

    file: int
    line: int


@dataclass(frozen=True, slots=True)
class Seen:
    """One row to remember: its identity, place, and its name when it may be a duplicate."""

    identity: str
    place: Place
    name: str | None = None


def _staging_table() -> Table:
    return Table(
        "dealcoach_import_seen",
        MetaData(),
        Column("identity", String(100), primary_key=True),
        Column("file", Integer, nullable=False),
        Column("line", Integer, nullable=False),
        Column("name_key", String(300), index=True),
        Column("name", String(300)),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )


class ImportStaging:
    """The temporary table of one import (create it inside the import's transaction)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._table = _staging_table()
        connection = session.connection()
        self._table.create(connection)
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        self._insert = (
            f"INSERT INTO {self._table.name} (identity, file, line, name_key, name) "
            f"VALUES ({', '.join([mark] * 5)})"
        )

    def earlier(self, identities: Sequence[str]) -> dict[str, Place]:
        """Which of these identities an earlier chunk already had, and where."""
        if not identities:
            return {}
        table = self._table
        rows = self._session.execute(
            select(table.c.identity, table.c.file, table.c.line).where(
                table.c.identity.in_(identities)
            )
        )
        return {identity: Place(file, line) for identity, file, line in rows}

    def remember(self, rows: Iterable[Seen]) -> None:
        """Add rows (plain values straight to the driver: a million rows pass here)."""
        batch = [
            (
                row.identity,
                row.place.file,
                row.place.line,
                _name_key(row.name) if row.name else None,
                row.name,
            )
            for row in rows
        ]
        if batch:
            self._session.connection().exec_driver_sql(self._insert, batch)

    def absent_open_deals(self) -> ColumnElement[bool]:
        """A condition on deals: open, and listed by no row of this import."""
        table = self._table
        return ~select(table.c.identity).where(table.c.identity == DEALS.c.crm_id).exists()

    def shared_names(self) -> tuple[int, list[tuple[str, list[Place]]]]:
        """How many names several open deals share, and the first few with their places."""
        table = self._table
        shared = (
            select(table.c.name_key)
            .where(table.c.name_key.is_not(None))
            .group_by(table.c.name_key)
            .having(func.count() > 1)
            .subquery()
        )
        total = self._session.scalar(select(func.count()).select_from(shared)) or 0
        first = select(shared.c.name_key).order_by(shared.c.name_key).limit(SHOWN_NAMES)
        rows = self._session.execute(
            select(table.c.name_key, table.c.name, table.c.file, table.c.line)
            .where(table.c.name_key.in_(first.scalar_subquery()))
            .order_by(table.c.file, table.c.line)
        )
        groups: dict[str, tuple[str, list[Place]]] = {}
        for key, name, file, line in rows:
            groups.setdefault(key, (name, []))[1].append(Place(file, line))
        return total, sorted(
            groups.values(), key=lambda group: (group[1][0].file, group[1][0].line)
        )

    def drop(self) -> None:
        self._table.drop(self._session.connection())


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())[:300]
