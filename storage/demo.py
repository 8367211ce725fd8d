"""Load the shipped demo pipeline into an empty database, dated relative to today.

Its activity log gives each evidence rule a reason a sales leader recognises: a buyer
silent while the rep chases (Northwind), an incumbent and a competitor (Contoso),
indecision (Tailspin), a partner in the way (Litware), a wavering champion with
nothing in the calendar (Adventure Works).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from coaching.evidence.lexicon import Lexicon, load_lexicon
from coaching.evidence.model import Activity
from coaching.evidence.reading import read_activities
from storage.activities import save_activities, save_signals
from storage.models import Answer, Deal, DealEvent, Person, Stakeholder

DEMO_FILE = Path(__file__).with_name("demo_pipeline.yaml")
DEMO_SELLER_FILE = Path(__file__).with_name("demo_seller.yaml")  # the demo's DEALCOACH_SELLER


def load_demo(session: Session, now: dt.datetime) -> int:
    """Insert the demo people, deals, answers, stakeholders and activity log (with the
    signals its notes hold); returns the deal count."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    people = _people(session, data["people"])
    lexicon = load_lexicon()
    for spec in data["deals"]:
        _deal(session, spec, people, now, lexicon)
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
    session: Session,
    spec: dict[str, Any],
    people: dict[str, Person],
    now: dt.datetime,
    lexicon: Lexicon,
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
    log = [
        _activity(deal, number, activity, now)
        for number, activity in enumerate(spec.get("activities", []), 1)
    ]
    save_activities(session, log)
    save_signals(session, read_activities(lexicon, log))


def _activity(deal: Deal, number: int, spec: dict[str, Any], now: dt.datetime) -> Activity:
    """A demo activity: held `days_ago`, or scheduled `in_days` ahead. A meeting held or a
    call that connected is the buyer's; the rest is the rep's."""
    scheduled = spec.get("status") == "scheduled"
    at = (
        now + dt.timedelta(days=spec["in_days"])
        if scheduled
        else now - dt.timedelta(days=spec["days_ago"])
    )
    buyer = spec["kind"] == "meeting" or spec.get("outcome") == "connected"
    return Activity(
        deal_id=deal.id,
        kind=spec["kind"],
        status="scheduled" if scheduled else "completed",
        occurred_at=at,
        subject=spec.get("subject"),
        body=spec.get("body"),
        contact_name=spec.get("contact"),
        contact_email=None,
        direction=spec.get("direction", "buyer" if buyer else "rep"),
        source="demo",
        source_ref=f"{deal.crm_id}-{number}",
    )


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
