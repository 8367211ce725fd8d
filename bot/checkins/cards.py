"""Qualification cards: each open deal's answers read against the playbook."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coaching.model import answers_by_deal
from coaching.playbook import Playbook
from coaching.qualification import QualificationCard, build_card
from storage import queries
from storage.models import Deal


def open_cards(
    session: Session, playbook: Playbook, owner_id: int, now: dt.datetime
) -> list[QualificationCard]:
    """The cards of a person's open deals, largest first (two statements)."""
    deals = queries.open_deals(session, owner_id)
    history = answers_by_deal(queries.answers_for(session, [deal.id for deal in deals]))
    return [build_card(playbook, deal, history.get(deal.id, []), now) for deal in deals]


def deal_card(
    session: Session, playbook: Playbook, deal: Deal, now: dt.datetime
) -> QualificationCard:
    """One deal's card."""
    history = queries.answers_for(session, [deal.id])
    return build_card(playbook, queries.deal_facts(deal), history, now)
