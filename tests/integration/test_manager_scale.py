"""The scan and the digests issue the same number of SQL statements for 1x and 3x the deals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from manager_support import add_person, counted_statements, desk
from sqlalchemy import insert

from coaching.clock import FixedClock
from storage import risk
from storage.db import Database
from storage.models import Answer, Base, Deal, DealEvent, RiskWarning

MANAGERS = 3
REPS_PER_MANAGER = 2


def seed(database: Database, clock: FixedClock, deals_per_rep: int) -> None:
    """Teams whose deals cross various rules, with answers, close-date pushes and won history."""
    now, today = clock.now(), clock.now().date()
    reps = []
    for manager_number in range(MANAGERS):
        manager = add_person(database, f"Manager {manager_number}", role="manager")
        reps += [
            add_person(database, f"Rep {manager_number}-{number}", manager=manager)
            for number in range(REPS_PER_MANAGER)
        ]
    rows = []
    for rep in reps:
        for number in range(deals_per_rep):
            status = ("open", "open", "won", "lost")[number % 4]
            rows.append(
                {
                    "crm_id": f"D-{rep}-{number}",
                    "name": f"Deal {rep}-{number}",
                    "amount": Decimal(1000 + number),
                    "currency": "USD",
                    "stage": ("Prospecting", "Negotiation", "Demo")[number % 3],
                    "stage_entered_on": today - dt.timedelta(days=number % 50),
                    "created_on": today - dt.timedelta(days=60 + number % 50),
                    "close_date": today + dt.timedelta(days=number % 40 - 20),
                    "closed_on": today - dt.timedelta(days=number % 90)
                    if status != "open"
                    else None,
                    "last_activity_on": today - dt.timedelta(days=number % 20),
                    "owner_id": rep,
                    "status": status,
                    "updated_at": now,
                }
            )
    with database.transaction() as session:
        ids = session.scalars(insert(Deal).returning(Deal.id), rows).all()
        session.execute(
            insert(Answer),
            [
                {
                    "deal_id": deal_id,
                    "field": field,
                    "value": value,
                    "source": "checkin",
                    "answered_at": now - dt.timedelta(days=3),
                    "confidence": 1.0,
                    "shareable": False,
                }
                for deal_id in ids
                for field, value in (("money", "next_year"), ("need", "research"))
            ],
        )
        session.execute(
            insert(DealEvent),
            [
                {
                    "deal_id": deal_id,
                    "kind": "close_date",
                    "old_value": (today - dt.timedelta(days=30 - push)).isoformat(),
                    "new_value": (today - dt.timedelta(days=29 - push)).isoformat(),
                    "occurred_at": now - dt.timedelta(days=10 - push),
                    "source": "import",
                }
                for deal_id in ids
                for push in range(2)
            ],
        )


def statements(database: Database, clock: FixedClock, deals_per_rep: int) -> dict[str, int]:
    seed(database, clock, deals_per_rep)
    managers = desk(database, clock)
    counts = {}
    with counted_statements(database) as sent:
        first = managers.scan.run(clock.now())
    counts["first scan"] = len(sent)
    with counted_statements(database) as sent:
        managers.scan.run(clock.now())
    counts["repeat scan"] = len(sent)
    with counted_statements(database) as sent:
        run = managers.digests.run_due(clock.now())
    counts["digests"] = len(sent)
    assert first.raised > 10 * deals_per_rep  # the scan had real work to do
    assert run.sent == MANAGERS
    with database.transaction() as session:
        assert len(risk.open_warnings(session)) == first.raised
        assert session.query(RiskWarning).count() == first.raised
    return counts


def wipe(database: Database) -> None:
    with database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


def test_statement_counts_do_not_grow_with_the_number_of_deals(
    database: Database, clock: FixedClock
) -> None:
    small = statements(database, clock, deals_per_rep=20)
    wipe(database)
    assert statements(database, clock, deals_per_rep=60) == small
