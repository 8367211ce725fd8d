"""Measure the risk scan and the weekly digests on the crm-sample (and 3x its deals).

    .venv/bin/python benchmarks/manager_scan.py [--postgres URL] [--copies 1 3]

Imports /work/shared/data/crm-sample (or $DEALCOACH_CRM_SAMPLE) with its team file,
dates shifted to a Monday, into a fresh SQLite file (and a fresh PostgreSQL schema
when --postgres is given), then times a first scan, a repeat scan and every
manager's digest, counting the SQL statements each sends (an executemany counts
once). Copies beyond the first duplicate every deal with a new crm_id. Measured,
not asserted: the figures go to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, event, insert, select, text

from benchmarks.crm_sample import crm_sample_dir
from bot.app import Services
from bot.manager_desk import build_manager_desk
from bot.settings import load_settings
from coaching.clock import FixedClock
from coaching.playbook import load_playbook
from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.team_import import import_team
from storage.migrate import upgrade
from storage.models import Deal

SAMPLE = crm_sample_dir()
NOW = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)  # Monday, after 08:00 in every US zone


def load(database: Database, copies: int) -> int:
    import_team(database, SAMPLE / "sales_teams.csv", encoding=None, default_timezone="UTC")
    options = DealImportOptions(shift_dates_to_today=True)
    import_deals(database, SAMPLE / "sales_pipeline.csv", options, now=NOW)
    with database.transaction() as session:
        columns = [column for column in Deal.__table__.columns if column.name != "id"]
        rows = [dict(row._mapping) for row in session.execute(select(*columns))]
        for copy in range(1, copies):
            session.execute(
                insert(Deal), [row | {"crm_id": f"{row['crm_id']}-{copy}"} for row in rows]
            )
        return len(rows) * copies


def measure(database: Database, step: Callable[[], object]) -> tuple[float, int, object]:
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(database.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    try:
        result = step()
    finally:
        elapsed = time.perf_counter() - started
        event.remove(database.engine, "before_cursor_execute", count)
    return elapsed, statements, result


def run(label: str, database: Database, copies: int) -> None:
    upgrade(database)
    deals = load(database, copies)
    settings = load_settings(
        database_url=database.url, slack_bot_token=None, microsoft_app_id=None,
        openai_api_key=None, openai_base_url=None,
    )  # fmt: skip
    services = Services(settings, database, load_playbook(), FixedClock(NOW))
    desk = build_manager_desk(services)
    for name, step in (
        ("first scan", lambda: desk.scan.run(NOW)),
        ("repeat scan", lambda: desk.scan.run(NOW)),
        ("all digests", lambda: desk.digests.run_due(NOW)),
    ):
        seconds, statements, result = measure(database, step)
        print(
            f"{label:10} {deals:>7,} deals  {name:12} {seconds:6.2f} s  "
            f"{statements:3} statements  {result}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL; a private schema is used")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args()
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite:///{folder}/bench.sqlite3")
            run("sqlite", database, copies)
            database.dispose()
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                database = Database(f"{args.postgres}?options=-csearch_path%3D{schema}")
                run("postgresql", database, copies)
                database.dispose()
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


if __name__ == "__main__":
    main()
