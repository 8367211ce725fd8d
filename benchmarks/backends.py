"""Fresh, migrated databases for a benchmark: a temporary SQLite file, a private
PostgreSQL schema (dropped afterwards)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from storage.db import Database
from storage.migrate import upgrade


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="dealcoach-bench-") as folder:
        database = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade(database)
        try:
            yield database
        finally:
            database.dispose()


@contextmanager
def postgres_database(url: str) -> Iterator[Database]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    database = Database(f"{url}{separator}options=-csearch_path%3D{schema}")
    try:
        upgrade(database)
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_for(backend: str, postgres_url: str | None) -> Iterator[Database]:
    """`backend` is "sqlite" or "postgresql" (which needs `postgres_url`)."""
    if backend == "sqlite":
        with sqlite_database() as database:
            yield database
    else:
        if not postgres_url:
            raise ValueError("set DEALCOACH_BENCH_POSTGRES_URL (or --postgres) for PostgreSQL")
        with postgres_database(postgres_url) as database:
            yield database


def analyze(database: Database) -> None:
    """Planner statistics, as a live database has them (a bulk load leaves none on
    PostgreSQL until autovacuum comes by: every plan would be a guess)."""
    with database.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
