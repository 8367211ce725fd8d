"""Builders for the managers' side: people, deals, a scan and digests on a test database."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event, update
from support import make_services

from bot.infra.services import Context, Services
from bot.managers.desk import ManagerDesk, build_manager_desk
from coaching.clock import FixedClock
from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.team_import import import_team
from storage.models import Deal, Person


def add_person(
    database: Database,
    name: str,
    *,
    manager: int | None = None,
    role: str = "rep",
    timezone: str = "UTC",
    digest_channel: str | None = None,
    digest_day: str | None = None,
) -> int:
    with database.transaction() as session:
        person = Person(
            name=name,
            email=f"{name.lower().replace(' ', '.')}@example.com",
            role=role,
            manager_id=manager,
            timezone=timezone,
            digest_channel=digest_channel,
            digest_day=digest_day,
        )
        session.add(person)
        session.flush()
        return person.id


def add_deal(
    database: Database,
    owner: int | None,
    name: str,
    *,
    today: dt.date,
    stage: str = "Prospecting",
    in_stage_days: int = 5,
    amount: int | None = 10000,
    status: str = "open",
) -> int:
    """A deal that only the stall rule can catch: touched today, close date ahead."""
    with database.transaction() as session:
        deal = Deal(
            crm_id=f"CRM-{name}",
            name=name,
            account=name.split(maxsplit=1)[0],
            amount=Decimal(amount) if amount is not None else None,
            stage=stage,
            stage_entered_on=today - dt.timedelta(days=in_stage_days),
            created_on=today - dt.timedelta(days=in_stage_days + 10),
            close_date=today + dt.timedelta(days=60),
            last_activity_on=today,
            owner_id=owner,
            status=status,
        )
        session.add(deal)
        session.flush()
        return deal.id


def touch_all(database: Database, today: dt.date) -> None:
    """Log activity on every deal today, so only the rule under test can fire."""
    with database.transaction() as session:
        session.execute(update(Deal).values(last_activity_on=today))


def desk(database: Database, clock: FixedClock, **settings: object) -> ManagerDesk:
    return build_manager_desk(Context.of(make_services(database, clock, **settings)))


def services(database: Database, clock: FixedClock, **settings: object) -> Services:
    return make_services(database, clock, **settings)


def import_crm_sample(database: Database, folder: Path, now: dt.datetime) -> None:
    """The crm-sample with its team file, dates shifted so the newest is `now`'s day."""
    import_team(database, folder / "sales_teams.csv", encoding=None, default_timezone="UTC")
    options = DealImportOptions(shift_dates_to_today=True)
    import_deals(database, folder / "sales_pipeline.csv", options, now=now)


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while inside the block (executemany counts once)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def sample_teams(folder: Path) -> dict[str, set[str]]:
    """manager -> their reps, read straight from sales_teams.csv."""
    teams: dict[str, set[str]] = defaultdict(set)
    with (folder / "sales_teams.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            teams[row["manager"]].add(row["sales_agent"])
    return teams
