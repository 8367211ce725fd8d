"""Issue 15, finding 5: the rep sees, when answering, which answers may reach the
champion: a shareable field's question carries a marker, an internal one none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.checkins.messages import AskContext, question_message
from bot.engine.messages import Question
from bot.engine.text_render import render_text
from coaching.model import DealFacts
from coaching.playbook import load_playbook

DEAL = DealFacts(
    id=1,
    crm_id="D-1",
    name="Northwind fleet",
    account="Northwind",
    amount=Decimal("84000"),
    currency="USD",
    stage="Proposal",
    stage_entered_on=dt.date(2026, 11, 1),
    close_date=dt.date(2026, 12, 20),
    owner_id=1,
    created_on=dt.date(2026, 9, 1),
    last_activity_on=dt.date(2026, 11, 20),
    status="open",
)


def hint(field: str) -> str:
    spec = load_playbook().field(field)
    ctx = AskContext(1, spec, DEAL, {"deal": DEAL.name, "person": "Tom"}, 1, 1)
    message = question_message(ctx)
    [question] = [block for block in message.blocks if isinstance(block, Question)]
    assert question.hint is not None and question.hint in render_text(message)
    return question.hint


@pytest.mark.parametrize("field", ["compelling_event", "next_step", "decision_date", "need"])
def test_a_shareable_answer_is_marked_as_one_the_champion_may_read(field: str) -> None:
    assert hint(field).startswith("👁 the champion may read this in a briefing · ")


def test_of_a_person_only_the_name_and_title_may_reach_the_champion() -> None:
    assert hint("champion").startswith("👁 the champion may read the name and title")


@pytest.mark.parametrize("field", ["competitors", "money", "exposure", "champion_can_fund"])
def test_an_internal_answer_carries_no_marker(field: str) -> None:
    assert "champion may read" not in hint(field)
