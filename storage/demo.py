"""Load the shipped demo pipeline into an empty database, dated relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from storage.models import Answer, Deal, DealEvent, Person, Stakeholder

DEMO_FILE = Path(__file__).with_name("demo_pipeline.yaml")
DEMO_SELLER_FILE = Path(__file__).with_name("demo_seller.yaml")  # the demo's DEALCOACH_SELLER


def load_demo(session: Session, now: dt.datetime) -> int:
    """Insert the demo people, deals, answers and stakeholders; returns the deal count."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    people = _people(session, data["people"])
    for spec in data["deals"]:
        _deal(session, spec, people, now)
    return len(data["deals"])


def _people(session: Session, specs: list[dict[str, Any]]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for spec in specs:
        person = Person(
            name=spec["name"],
            email=spec["email"],
            role=spec.get("role", "rep"),
            timezone=spec.get("timezone", "UTC"),
            region=spec.get("region"),
            manager=people.get(spec.get("manager", "")),
        )
        session.add(person)
        people[spec["key"]] = person
    session.flush()
    return people


def _deal(
    session: Session, spec: dict[str, Any], people: dict[str, Person], now: dt.datetime
) -> None:
    today = now.date()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    status = spec.get("status", "open")
    deal = Deal(
        crm_id=spec["crm_id"],
        name=spec["name"],
        account=spec.get("account"),
        product=spec.get("product"),
        amount=Decimal(str(spec["amount"])),
        currency=spec.get("currency", "USD"),
        stage=spec["stage"],
        stage_entered_on=ago(spec["stage_days"]),
        close_date=today + dt.timedelta(days=spec["close_in_days"]),
        owner=people[spec["owner"]],
        created_on=ago(spec["created_days_ago"]),
        last_activity_on=ago(spec["last_activity_days_ago"]),
        status=status,
        closed_on=today + dt.timedelta(days=spec["close_in_days"]) if status != "open" else None,
        shared_summary=spec.get("shared_summary"),
    )
    session.add(deal)
    session.flush()
    _close_date_pushes(session, deal, spec.get("close_date_pushes", 0), now)
    for answer in spec.get("answers", []):
        session.add(_answer(deal, answer, now))
    for stakeholder in spec.get("stakeholders", []):
        session.add(Stakeholder(deal_id=deal.id, **stakeholder))


def _close_date_pushes(session: Session, deal: Deal, pushes: int, now: dt.datetime) -> None:
    """Record earlier close dates, each pushed two weeks later than the one before."""
    assert deal.close_date is not None
    for push in range(pushes, 0, -1):
        old = deal.close_date - dt.timedelta(days=14 * push)
        new = old + dt.timedelta(days=14)
        session.add(
            DealEvent(
                deal_id=deal.id,
                kind="close_date",
                old_value=old.isoformat(),
                new_value=new.isoformat(),
                occurred_at=now - dt.timedelta(days=10 * push),
                source="demo",
            )
        )


def _answer(deal: Deal, spec: dict[str, Any], now: dt.datetime) -> Answer:
    answered_at = now - dt.timedelta(days=spec["days_ago"])
    if "value_in_days" in spec:
        value = (now.date() + dt.timedelta(days=spec["value_in_days"])).isoformat()
    else:
        value = str(spec["value"])
    return Answer(
        deal_id=deal.id,
        field=spec["field"],
        value=value,
        source="demo",
        person_id=deal.owner_id,
        answered_at=answered_at,
    )
