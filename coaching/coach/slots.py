"""The placeholders coach templates may use, filled from one deal's facts.

A person or fact the deal does not hold reads as its fallback from wording.yaml
(`slots.champion`: "your champion"), so a template never invents a name.
"""

from __future__ import annotations

from coaching.coach.deal_view import DealView
from coaching.coach.text import Slot
from coaching.coach.wording import CoachWording

SOURCES = {
    "deal": "deal.name",
    "account": "deal.account",
    "amount": "deal.amount",
    "stage": "deal.stage",
    "close_date": "deal.close_date",
    "owner": "deal.owner",
    "event": "answer.compelling_event",
    "competitors": "answer.competitors",
    "next_step": "answer.next_step",
    "decision_date": "answer.decision_date",
    "exposure": "answer.exposure",
    "pushes": "risk.close_date_slipping.pushes",
    "days_in_stage": "deal.days_in_stage",
}


def deal_slots(view: DealView, wording: CoachWording) -> dict[str, Slot]:
    """Every placeholder for `view`: cited facts, else the wording's fallbacks."""
    slots: dict[str, Slot] = {}
    for name, source in SOURCES.items():
        fact = view.cite(source)
        slots[name] = fact if fact is not None else _fallback(view, wording, name)
    decision_maker, champion = view.decision_maker, view.champion
    slots["decision_maker"] = (
        decision_maker.name if decision_maker else wording.text("slots.decision_maker")
    )
    slots["champion"] = champion.name if champion else wording.text("slots.champion")
    return slots


def _fallback(view: DealView, wording: CoachWording, name: str) -> Slot:
    if name == "account":  # a deal without an account is called by its name
        fact = view.cite("deal.name")
        assert fact is not None
        return fact
    return wording.text(f"slots.{name}")
