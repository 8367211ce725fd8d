"""The leak guard: internal text and numbers, in any spelling, block a briefing."""

import datetime as dt
from decimal import Decimal

import pytest

from coaching.briefing.guard import InternalText, InternalValues, find_leaks, internal_values
from coaching.briefing.view import StakeholderFacts
from coaching.model import AnswerFact
from coaching.playbook import load_playbook

INTERNAL = InternalValues(
    texts=(
        InternalText("the CRM description", "Max discount 15%. We could go to $72,500 if pushed."),
        InternalText("your notes on Tom", "Candid: Tom is nervous about his own budget review"),
        InternalText("the internal answer to Competitors", "Routeify; doing nothing"),
        InternalText(
            "your notes on Ann", "she compared us with Zenvia and the zqxconfidential plan"
        ),
    ),
    amounts=(Decimal("84000.00"),),
)
PUBLIC = ["Weigh it against doing nothing: the cost keeps running.", "Route 400 deliveries a day"]


@pytest.mark.parametrize(
    "text",
    [
        "The price is $84K.",
        "It costs 84,000 dollars.",
        "about 84 000 a year",
        "84000",
        "a 15 percent discount",
        "we can do 15%",
        "they would accept 72.5k",
        "Tom is nervous about his own budget, so",
        "TOM IS NERVOUS ABOUT HIS OWN BUDGET",
        "unlike Routeify, we",
        "Candid.",
        "Zenvia cannot do this.",  # a name inside a longer internal phrase
        "unlike the ZQXCONFIDENTIAL plan",  # a long, rare word
    ],
)
def test_internal_values_are_found_in_any_spelling(text: str) -> None:
    assert find_leaks(text, INTERNAL, PUBLIC)


@pytest.mark.parametrize(
    "text",
    [
        "Weigh it against doing nothing.",  # public wording, also in an internal answer
        "We route 400 deliveries a day.",  # a number the buyer shared
        "The decision is due by Friday 11 December 2026, in 18 days.",
        "Tom will present it.",
        "Budget review in March.",  # fewer than six words of a longer internal phrase
        "She compared the options.",  # common words of an internal note
    ],
)
def test_public_words_dates_and_short_overlaps_pass(text: str) -> None:
    assert find_leaks(text, INTERNAL, PUBLIC) == []


def test_a_leak_names_where_the_value_came_from() -> None:
    [leak] = find_leaks("We can go to $72,500.", INTERNAL, PUBLIC)
    assert (leak.source, leak.fragment) == ("the CRM description", "72500")


def test_internal_values_collects_every_internal_source() -> None:
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    answers = [
        AnswerFact(1, "competitors", "Routeify", now, "rep"),
        AnswerFact(1, "need", "defined", now, "rep", note="the rep's note"),
        AnswerFact(1, "next_step", "Demo", now, "rep"),
    ]
    people = [
        StakeholderFacts("Ann", "CFO", "finance", None, 2, True, "nervous"),
        StakeholderFacts("Hidden Person", "Secret Title", "it", None, 1, False, None),
    ]
    values = internal_values(
        load_playbook(),
        description="crm text",
        amount=Decimal(5),
        answers=answers,
        stakeholders=people,
        other=[InternalText("a risk warning", "stalled")],
    )
    assert {(item.source, item.text) for item in values.texts} == {
        ("the CRM description", "crm text"),
        ("your note on Need", "the rep's note"),
        ("the internal answer to Competitors", "Routeify"),
        ("your notes on Ann", "nervous"),
        ("a stakeholder not marked shareable", "Hidden Person"),
        ("Hidden Person's title (not shareable)", "Secret Title"),
        ("a risk warning", "stalled"),
    }
    assert values.amounts == (Decimal(5),)
