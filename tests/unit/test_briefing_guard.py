"""The leak guard: internal text and numbers, in any spelling, block a briefing."""

import datetime as dt
from decimal import Decimal

import pytest

from coaching.briefing import DeterministicWriter, check_briefing
from coaching.briefing.guard import InternalText, InternalValues, find_leaks, internal_values
from coaching.briefing.view import CALENDAR_WORDS, StakeholderFacts, build_shareable_view
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


@pytest.mark.parametrize(
    "text",
    [
        "The budget is USD 84.000.",
        "about EUR 84.000,00 a year",
        "eighty-four thousand dollars",
        "Eighty four thousand.",
        "84 thousand",
        "0.084m all in",
        "a fifteen per cent discount",
        "we could go to seventy-two thousand five hundred",
    ],
)
def test_reworded_numbers_are_compared_by_value(text: str) -> None:
    assert find_leaks(text, INTERNAL, PUBLIC)


@pytest.mark.parametrize(
    "text",
    [
        "Tom's own budget review makes him nervous.",  # the same words, reordered
        "Tom is nervous about the budget review.",  # words dropped
        "His budget review leaves Tom nervous, we hear.",
    ],
)
def test_small_paraphrases_of_internal_notes_are_caught(text: str) -> None:
    [leak] = find_leaks(text, INTERNAL, PUBLIC)
    assert leak.source == "your notes on Tom"


def test_the_products_own_words_and_ordinary_words_never_block() -> None:
    internal = InternalValues(
        texts=(
            InternalText("your note on Next step", "call next Thursday, not sure"),
            InternalText("the internal answer to Competitors", "Not sure"),
            InternalText("a risk warning", "drifting to no decision: no compelling event"),
            InternalText("your notes on Ann", "Fabrikam Freight reference call went well"),
        )
    )
    public = [CALENDAR_WORDS, "Fabrikam Freight cut late-delivery penalties by 38%"]
    text = (
        "Thursday 26 November: security review. If anyone is not sure, Fabrikam Freight cut "
        "late-delivery penalties by 38%. The compelling event is the new rules."
    )
    assert find_leaks(text, internal, public) == []


def test_the_deal_name_is_internal_for_its_names_and_numbers() -> None:
    internal = InternalValues(
        texts=(InternalText("the deal name", "Globex - floor 15% discount - beat Routeify", True),)
    )
    assert {leak.fragment for leak in find_leaks("unlike Routeify", internal, [])} == {"routeify"}
    assert [leak.fragment for leak in find_leaks("a 15% saving", internal, [])] == ["15%"]
    assert find_leaks("the floor of the warehouse, a discount on nothing", internal, []) == []


def test_what_is_typed_around_a_shareable_persons_name_is_internal() -> None:
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    answers = [
        AnswerFact(
            1, "champion", "Bob Stone (CFO, thinks we are overpriced, budget only 30k)", now, "rep"
        ),
        AnswerFact(1, "authority", "Jordan Lee, our primary contact", now, "rep"),
    ]
    values = internal_values(
        load_playbook(), description=None, amount=None, answers=answers, stakeholders=[]
    )
    sources = {item.source: item.text for item in values.texts}
    assert sources == {
        "what you typed after Bob Stone in Champion": "thinks we are overpriced, budget only 30k",
        "what you typed after Jordan Lee in Decision maker": "our primary contact",
    }
    assert find_leaks("Prepared for Jordan Lee, our primary contact", values, ["Jordan Lee"])
    assert find_leaks("a budget of 30,000", values, ["Bob Stone"])
    assert find_leaks("Prepared for Bob Stone and Jordan Lee", values, ["Bob Stone"]) == []


def test_only_the_champions_page_is_checked_not_the_reps_notes() -> None:
    content = DeterministicWriter().write(
        build_shareable_view(
            load_playbook(),
            account="Acme",
            product=None,
            shared_summary=None,
            rep_name="Rita Reyes",
            answers=[],
            stakeholders=[],
            now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
            today=dt.date(2026, 11, 23),
        )
    )
    rep = content.rep.model_copy(update={"offer": "Remember Routeify undercuts us by 15%."})
    with_talk_track = content.model_copy(update={"rep": rep})
    view = build_shareable_view(
        load_playbook(),
        account="Acme",
        product=None,
        shared_summary=None,
        rep_name="Rita Reyes",
        answers=[],
        stakeholders=[],
        now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        today=dt.date(2026, 11, 23),
    )
    assert check_briefing(with_talk_track, view, INTERNAL, []) == ()
    shared = content.with_section("problem", "Routeify undercuts us.")
    assert [leak.fragment for leak in check_briefing(shared, view, INTERNAL, [])] == ["routeify"]
