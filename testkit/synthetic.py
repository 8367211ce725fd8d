"""A synthetic pipeline at scale: reps, managers, open deals, an answer history.

Deterministic (seeded), written in bulk with Core inserts in chunks. Every rep is due
at the same instant (DUE), so one round covers them all.

For the managers' side, callers can ask for more (nothing changes for those that do
not): managers in several time zones whose weekly digest is due at DUE, won and lost
deals with stage changes (the history the stall thresholds learn from), and close-date
pushes on open deals. These come after the answers and from their own random
sequence, so the reps, open deals and answers are the same whatever is asked.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from coaching.playbook import UNKNOWN, FieldSpec, load_playbook
from storage.db import Database
from storage.models import Answer, Deal, DealEvent, Person

DUE = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
          "Proposal/Price Quote", "Negotiation/Review")  # fmt: skip
MANAGER_ZONES = ("UTC", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney",
                 "America/Sao_Paulo", "America/New_York", "America/Los_Angeles")  # fmt: skip
DIGEST_AT = dt.time(8, 0)  # the default digest time (settings.digest_time)
ANY_FIELD = ("confirmed", "unknown", "3", "yes", "Pat Doe", "2027-01-15")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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


def populate(
    database: Database,
    reps: int,
    deals: int,
    answers: int,
    managers: int = 0,
    *,
    digests_due: bool = False,
    closed: int = 0,
    pushes: int = 0,
    valid_values: bool = False,
) -> None:
    """Insert `managers` managers, `reps` reps, `deals` open deals and `answers` answers.

    `digests_due`: managers get time zones (MANAGER_ZONES in turn) and the digest day
    whose DIGEST_AT slot passed in the day before DUE, so every digest is due at DUE.
    `closed`: won and lost deals (two won to one lost) closed in the year before DUE,
    each won deal with its stage changes. `pushes`: close-date pushes on open deals.
    `valid_values`: each answer's value is one its field accepts (an option, a point
    of the scale, a date, a name, a phrase); by default values are drawn from one
    list for every field.
    """
    rng = random.Random(42)
    playbook = load_playbook()
    fields = [spec.key for spec in playbook.fields]
    accepted = {spec.key: _accepted(spec) for spec in playbook.fields} if valid_values else None
    with database.transaction() as session:
        manager_ids: list[int] = []
        if managers:
            session.execute(
                insert(Person),
                [
                    _manager(f"Manager {n}", MANAGER_ZONES[n % len(MANAGER_ZONES)])
                    if digests_due
                    else _person(f"Manager {n}", "manager")
                    for n in range(managers)
                ],
            )
            managers_query = select(Person.id).where(Person.role == "manager").order_by(Person.id)
            manager_ids = list(session.scalars(managers_query))
        for chunk in _chunks(
            _person(f"Rep {n}", "rep", manager_ids[n % managers] if managers else None)
            for n in range(reps)
        ):
            session.execute(insert(Person), chunk)
        rep_ids = list(
            session.scalars(select(Person.id).where(Person.role == "rep").order_by(Person.id))
        )
        for chunk in _chunks(_deal(n, rep_ids[n % reps], rng) for n in range(deals)):
            session.execute(insert(Deal), chunk)
        deal_ids = list(session.scalars(select(Deal.id).order_by(Deal.id)))
        for chunk in _chunks(_answer(deal_ids, fields, rng, accepted) for _ in range(answers)):
            session.execute(insert(Answer), chunk)
        history = random.Random(43)
        if pushes:
            for chunk in _chunks(_push(deal_ids, history) for _ in range(pushes)):
                session.execute(insert(DealEvent), chunk)
        if closed:
            _closed_deals(session, closed, rep_ids, history)


def _closed_deals(session: Session, count: int, rep_ids: list[int], rng: random.Random) -> None:
    """Won and lost deals; each won deal walked through 2 to 4 stages on its way."""
    for chunk in _chunks(_closed(n, rep_ids[n % len(rep_ids)], rng) for n in range(count)):
        session.execute(insert(Deal), chunk)
    won = session.execute(
        select(Deal.id, Deal.created_on, Deal.closed_on).where(Deal.status == "won")
    ).all()
    for chunk in _chunks(
        event for deal_id, created, closed in won for event in _stage_walk(deal_id, created, closed)
    ):
        session.execute(insert(DealEvent), chunk)


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


def _manager(name: str, zone: str) -> dict[str, Any]:
    local = DUE.astimezone(ZoneInfo(zone))
    slot_day = local.date() if local.time() >= DIGEST_AT else local.date() - dt.timedelta(days=1)
    return _person(name, "manager") | {"timezone": zone, "digest_day": WEEKDAYS[slot_day.weekday()]}


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


def _accepted(spec: FieldSpec) -> tuple[str, ...]:
    """Values a rep could have given for this field, "not sure" included."""
    if spec.kind == "choice":
        return tuple(option.value for option in spec.options)
    if spec.kind == "scale" and spec.scale:
        return (*(str(point) for point in range(spec.scale.min, spec.scale.max + 1)), UNKNOWN)
    if spec.kind == "date":
        return ("2026-10-30", "2026-12-15", "2027-01-15", "2027-03-31", UNKNOWN)
    if spec.kind == "person":
        return ("Pat Doe", "Maria Lopez, CFO", "Sam Lee", UNKNOWN)
    return ("Board approval in March", "none", "Routeify, Fleetly and Trackr", UNKNOWN)


def _answer(
    deal_ids: list[int],
    fields: list[str],
    rng: random.Random,
    accepted: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    deal_id, field = rng.choice(deal_ids), rng.choice(fields)
    values = accepted[field] if accepted else ANY_FIELD
    return {
        "deal_id": deal_id,
        "field": field,
        "value": rng.choice(values),
        "source": "benchmark",
        "answered_at": DUE - dt.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440)),
        "confidence": 1.0,
        "shareable": False,
    }


def _push(deal_ids: list[int], rng: random.Random) -> dict[str, Any]:
    old = DUE.date() + dt.timedelta(days=rng.randint(-60, 60))
    return {
        "deal_id": rng.choice(deal_ids),
        "kind": "close_date",
        "old_value": old.isoformat(),
        "new_value": (old + dt.timedelta(days=rng.randint(7, 45))).isoformat(),
        "occurred_at": DUE - dt.timedelta(days=rng.randint(1, 90)),
        "source": "benchmark",
    }


def _closed(number: int, owner: int, rng: random.Random) -> dict[str, Any]:
    closed_on = DUE.date() - dt.timedelta(days=rng.randint(1, 360))
    created = closed_on - dt.timedelta(days=rng.randint(20, 150))
    won = number % 3 != 2
    return {
        "crm_id": f"SYN-C-{number}",
        "name": f"Closed deal {number}",
        "account": f"Account {number % 5000}",
        "amount": rng.randint(5, 500) * 1000,
        "currency": "USD",
        "stage": "Closed Won" if won else "Closed Lost",
        "stage_entered_on": closed_on,
        "close_date": closed_on,
        "closed_on": closed_on,
        "owner_id": owner,
        "created_on": created,
        "last_activity_on": closed_on,
        "status": "won" if won else "lost",
        "loss_reason": None if won else "no_decision",
        "updated_at": DUE,
    }


def _stage_walk(
    deal_id: int, created: dt.date | None, closed: dt.date | None
) -> Iterator[dict[str, Any]]:
    """Stage changes spread evenly from creation to close, through the first stages."""
    if created is None or closed is None:
        return
    steps = 2 + deal_id % 3
    span = (closed - created).days
    for step in range(1, steps + 1):
        on = created + dt.timedelta(days=span * step // (steps + 1))
        yield {
            "deal_id": deal_id,
            "kind": "stage",
            "old_value": STAGES[step - 1],
            "new_value": STAGES[step],
            "occurred_at": dt.datetime.combine(on, dt.time(12, 0), tzinfo=dt.UTC),
            "source": "benchmark",
        }
