"""A deal with a unique marker in every internal field, for leak tests.

Every internal value holds a string starting with MARK (or the unique AMOUNT, or the
discount DISCOUNT), so any of them showing up in a briefing, a prompt or an email is
found by `markers_in`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

from sqlalchemy.orm import Session

from storage.models import Answer, Deal, Person, RiskWarning, Stakeholder

MARK = "zqxmark"
AMOUNT = Decimal("987654.00")
DISCOUNT = "37.5%"
INTERNAL_FIELDS = {
    "money": "confirmed",
    "exposure": "2",
    "buying_phase": "decision",
    "late_entry": "yes",
    "champion_prefers_us": "yes",
    "champion_can_fund": "no",
    "champion_sells": "yes",
}
SHARED_FACTS = {
    "need": "defined",
    "authority": "Olga Decider",
    "vision_owner": "new_executive",
    "champion": "Chris Champion",
    "compelling_event": "New safety rules take effect on 1 March",
    "decision_day": 20,
    "next_step": "Pilot review with the operations team",
    "next_step_day": 6,
}
_AMOUNT_SPELLINGS = re.compile(r"987[,.\s\u00a0]?654|987(?:\.\d+)?\s?k\b|0?\.98\d*\s?m\b", re.I)


def marker(field: str) -> str:
    return f"{MARK}{field.replace('_', '')}"


def markers_in(text: str) -> list[str]:
    """Every internal marker, the amount or the discount found in `text`."""
    found = sorted(set(re.findall(rf"{MARK}[a-z]+", text, flags=re.IGNORECASE)))
    if _AMOUNT_SPELLINGS.search(text):
        found.append("amount")
    if re.search(r"37[.,]5\s?(?:%|percent|per cent)", text, flags=re.IGNORECASE):
        found.append("discount")
    return found


def add_marker_deal(
    session: Session,
    now: dt.datetime,
    *,
    rep_email: str = "rita@example.com",
    seed: int = 0,
    shared_summary: str | None = "Dispatchers lose 9 hours a week re-planning routes by hand.",
) -> Deal:
    """A marked deal owned by the rep `rep_email` (created when missing); `seed` picks
    which shareable facts it has, so many seeds cover the writers' branches."""
    chance = random.Random(seed)
    rep = session.query(Person).filter(Person.email == rep_email).one_or_none()
    if rep is None:
        rep = Person(name="Rita Reyes", email=rep_email, timezone="UTC")
        session.add(rep)
        session.flush()
    deal = Deal(
        crm_id=f"MARK-{seed}-{rep.id}",
        name=f"Acme logistics {seed}",
        account="Acme Freight",
        product="Route Planner",
        amount=AMOUNT,
        currency="USD",
        stage="Negotiation/Review",
        status="open",
        owner_id=rep.id,
        close_date=now.date() + dt.timedelta(days=25),
        description=f"{marker('description')} CRM notes: max discount {DISCOUNT}, "
        f"walk-away price $912,345.",
        pause_reason=f"{marker('pausereason')} budget freeze",
        shared_summary=shared_summary,
    )
    session.add(deal)
    session.flush()

    def answer(field: str, value: str, note: str | None, days_ago: int = 3) -> None:
        session.add(
            Answer(
                deal_id=deal.id,
                field=field,
                value=value,
                note=note,
                source="rep",
                person_id=rep.id,
                answered_at=now - dt.timedelta(days=days_ago),
            )
        )

    for field, value in INTERNAL_FIELDS.items():
        answer(field, value, f"{marker(field + 'note')} candid remark")
    answer("competitors", f"{marker('competitor')} Corp; doing nothing", marker("competitornote"))
    for field, value in SHARED_FACTS.items():
        if field.endswith("_day") or chance.random() < 0.3:
            continue
        answer(field, str(value), f"{marker(field + 'note')} the rep's own words")
    for field in ("decision_date", "next_step_date"):
        days = SHARED_FACTS[field.replace("_date", "_day")]
        if chance.random() >= 0.3:
            value = (now.date() + dt.timedelta(days=int(days))).isoformat()  # type: ignore[arg-type]
            answer(field, value, f"{marker(field + 'note')} date note")
    people = [
        ("Olga Decider", "Chief Operating Officer", "decision_maker", True),
        ("Chris Champion", "Head of Dispatch", "champion", True),
        ("Fiona Figures", "Finance Director", "finance", True),
        (f"{marker('hiddenperson').title()} Person", marker("hiddentitle"), "it", False),
    ]
    for name, title, role, shareable in people:
        session.add(
            Stakeholder(
                deal_id=deal.id,
                name=name,
                title=title,
                role=role,
                email=f"{name.split()[0].lower()}@acme.example",
                exposure=1,
                shareable=shareable,
                notes=f"{marker('stakeholdernotes')} about {name}",
            )
        )
    session.add(
        RiskWarning(
            deal_id=deal.id,
            rule_id="no_champion",
            severity=2,
            reason=f"{marker('warningreason')} stalled",
            action=f"{marker('warningaction')} call the CFO",
            raised_at=now,
        )
    )
    session.flush()
    return deal
