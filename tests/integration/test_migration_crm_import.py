"""The crm-import migration on a database that holds deals: nothing lost, invented
history unmarked.

It rebuilds the deals table on SQLite (to widen the status CHECK); with foreign keys on,
dropping the old table would have deleted every answer and deal event pointing at it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import Database
from storage.migrate import current_revision, head_revision, upgrade

POSTGRES_URL = os.environ.get("DEALCOACH_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no schema at all, to migrate step by step."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'steps.sqlite3'}")
        yield database
        database.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("DEALCOACH_TEST_POSTGRES_URL is not set")
    schema = f"dealcoach_steps_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    database = Database(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}")
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def crm_import_revision() -> tuple[str, str]:
    """(this migration's revision, the one before it), whatever they are numbered at merge."""
    from alembic.script import ScriptDirectory

    from storage.migrate import MIGRATIONS

    script = ScriptDirectory(str(MIGRATIONS))
    found = next(rev for rev in script.walk_revisions() if rev.path.endswith("_crm_import.py"))
    return found.revision, str(found.down_revision)


def test_the_migration_keeps_every_row_and_unmarks_invented_stage_entries(
    empty_database: Database,
) -> None:
    _, before = crm_import_revision()
    upgrade(empty_database, before)
    with empty_database.transaction() as session:
        session.execute(
            text(
                "INSERT INTO people (id, name, role, timezone, working_days, active, created_at) "
                "VALUES (1, 'Ann', 'rep', 'UTC', 'mon', true, '2026-01-01 00:00:00')"
            )
        )
        session.execute(
            text(
                "INSERT INTO deals (id, crm_id, name, currency, stage, status, created_on, "
                "stage_entered_on, updated_at, owner_id) VALUES "
                "(1, 'A', 'Invented', 'USD', 'Prospecting', 'open', '2025-01-01', '2025-01-01', "
                "'2026-11-01 10:00:00', 1), "
                "(2, 'B', 'Dated', 'EUR', 'Proposal', 'open', '2025-01-01', '2025-03-01', "
                "'2026-11-01 10:00:00', 1)"
            )
        )
        session.execute(
            text(
                "INSERT INTO deal_events (deal_id, kind, old_value, new_value, occurred_at, "
                "source) VALUES (1, 'stage', 'Lead', 'Prospecting', '2026-01-01 00:00:00', "
                "'import')"
            )
        )
        session.execute(
            text(
                "INSERT INTO answers (deal_id, field, value, source, answered_at, confidence, "
                "shareable) VALUES (1, 'money', 'none', 'checkin', '2026-01-01 00:00:00', 1, "
                "false)"
            )
        )

    upgrade(empty_database)

    assert current_revision(empty_database) == head_revision()
    with empty_database.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM deal_events")).scalar() == 1
        assert session.execute(text("SELECT count(*) FROM answers")).scalar() == 1
        rows = session.execute(
            text(
                "SELECT crm_id, stage_entered_on, stage_entered_known, currency FROM deals "
                "ORDER BY crm_id"
            )
        ).all()
        assert [
            (crm_id, str(on)[:10], bool(known), currency) for crm_id, on, known, currency in rows
        ] == [
            ("A", "2026-11-01", False, "USD"),
            ("B", "2025-03-01", True, "EUR"),
        ]
        session.execute(text("UPDATE deals SET status = 'missing' WHERE crm_id = 'A'"))

    upgrade_down(empty_database, before)
    with empty_database.transaction() as session:
        assert (
            session.execute(text("SELECT status FROM deals WHERE crm_id = 'A'")).scalar() == "lost"
        )
        assert session.execute(text("SELECT count(*) FROM answers")).scalar() == 1


def upgrade_down(database: Database, revision: str) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    config = alembic_config(database)
    with database.engine.connect() as connection:
        driver = connection.connection.driver_connection
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            driver.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.downgrade(config, revision)
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
