"""A synthetic pipeline at scale: reps in several time zones, deals, an answer history.

Deterministic (seeded), written in bulk with Core inserts in chunks. Every rep is due
at the same instant, so one round covers them all.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select

from coaching.playbook import load_playbook
from storage.db import Database
from storage.models import Answer, Deal, Person

DUE = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
          "Proposal/Price Quote", "Negotiation/Review")  # fmt: skip
CHUNK = 20_000


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def populate(database: Database, reps: int, deals: int, answers: int, managers: int = 0) -> None:
    """Insert `managers` managers, `reps` reps, `deals` open deals and `answers` answers."""
    rng = random.Random(42)
    fields = [spec.key for spec in load_playbook().fields]
    with database.transaction() as session:
        manager_ids: list[int] = []
        if managers:
            session.execute(
                insert(Person), [_person(f"Manager {n}", "manager") for n in range(managers)]
            )
            manager_ids = list(session.scalars(select(Person.id).where(Person.role == "manager")))
        for chunk in _chunks(
            _person(f"Rep {n}", "rep", manager_ids[n % managers] if managers else None)
            for n in range(reps)
        ):
            session.execute(insert(Person), chunk)
        rep_ids = list(session.scalars(select(Person.id).where(Person.role == "rep")))
        for chunk in _chunks(_deal(n, rep_ids[n % reps], rng) for n in range(deals)):
            session.execute(insert(Deal), chunk)
        deal_ids = list(session.scalars(select(Deal.id)))
        for chunk in _chunks(_answer(deal_ids, fields, rng) for _ in range(answers)):
            session.execute(insert(Answer), chunk)


def _person(name: str, role: str, manager_id: int | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "email": f"{name.lower().replace(' ', '.')}@example.com",
        "role": role,
        "manager_id": manager_id,
        "timezone": "UTC",
        "working_days": "mon-sun",
        "checkin_days": "mon-sun",
        "checkin_time": "09:00",
        "active": True,
        "created_at": DUE,
    }


def _deal(number: int, owner: int, rng: random.Random) -> dict[str, Any]:
    created = DUE.date() - dt.timedelta(days=rng.randint(10, 200))
    return {
        "crm_id": f"SYN-{number}",
        "name": f"Deal {number}",
        "account": f"Account {number % 5000}",
        "amount": rng.randint(5, 500) * 1000,
        "currency": "USD",
        "stage": rng.choice(STAGES),
        "stage_entered_on": created + dt.timedelta(days=rng.randint(0, 9)),
        "close_date": DUE.date() + dt.timedelta(days=rng.randint(-20, 120)),
        "owner_id": owner,
        "created_on": created,
        "last_activity_on": DUE.date() - dt.timedelta(days=rng.randint(0, 30)),
        "status": "open",
        "updated_at": DUE,
    }


def _answer(deal_ids: list[int], fields: list[str], rng: random.Random) -> dict[str, Any]:
    return {
        "deal_id": rng.choice(deal_ids),
        "field": rng.choice(fields),
        "value": rng.choice(("confirmed", "unknown", "3", "yes", "Pat Doe", "2027-01-15")),
        "source": "benchmark",
        "answered_at": DUE - dt.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440)),
        "confidence": 1.0,
        "shareable": False,
    }
