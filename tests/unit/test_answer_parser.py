"""The deterministic parser on real-world phrasings."""

import datetime as dt

import pytest

from coaching.answer_parser import parse_answer
from coaching.playbook import load_playbook

PLAYBOOK = load_playbook()
TODAY = dt.date(2026, 11, 23)  # a Monday
NAMES = ("Maria Lopez", "Tom Becker", "Grace Kim")


def read(field: str, text: str):
    return parse_answer(PLAYBOOK.field(field), text, TODAY, NAMES)


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("money", "1", "confirmed"),
        ("money", "Budget confirmed", "confirmed"),
        ("money", "yes it's approved", "confirmed"),
        ("money", "CFO signed off last week", "confirmed"),
        ("money", "they've budgeted for it", "confirmed"),
        ("money", "not budgeted", "none"),
        ("money", "there's no budget", "none"),
        ("money", "next fiscal year", "next_year"),
        ("money", "Next year", "next_year"),
        ("money", "expected this fiscal", "this_year"),
        ("need", "they have a defined project with an RFP", "defined"),
        ("need", "lots of pain but no project", "pain"),
        ("need", "just researching", "research"),
        ("need", "they're just looking", "research"),
        ("buying_phase", "decision", "decision"),
        ("buying_phase", "they're comparing vendors", "interest"),
        ("buying_phase", "4", "decision"),
        ("late_entry", "yes", "yes"),
        ("late_entry", "Nope", "no"),
        ("late_entry", "yeah, they'd seen a demo from Acme", "yes"),
        ("champion_prefers_us", "definitely", "yes"),
        ("champion_can_fund", "no she can't", "no"),
        ("champion_sells", "not really", "no"),
        ("vision_owner", "the new CIO", "new_executive"),
        ("vision_owner", "a competitor seeded it", "competitor"),
        ("vision_owner", "Maria Lopez", "Maria Lopez"),
        ("exposure", "2", "2"),
        ("exposure", "3/5", "3"),
        ("exposure", "4 out of 5", "4"),
        ("exposure", "three", "3"),
        ("exposure", "never met", "1"),
        ("exposure", "I'd say a 4", "4"),
        ("authority", "Maria", "Maria Lopez"),
        ("authority", "it's Maria Lopez", "Maria Lopez"),
        ("authority", "John Smith, VP Finance", "John Smith, VP Finance"),
        ("champion", "Tom", "Tom Becker"),
        ("champion", "the CFO", "the CFO"),
        ("champion", "john smith", "john smith"),
        ("decision_date", "2026-12-15", "2026-12-15"),
        ("decision_date", "12/15/2026", "2026-12-15"),
        ("decision_date", "15.12.2026", "2026-12-15"),
        ("decision_date", "next Friday", "2026-12-04"),
        ("decision_date", "Friday", "2026-11-27"),
        ("decision_date", "tomorrow", "2026-11-24"),
        ("decision_date", "in 2 weeks", "2026-12-07"),
        ("decision_date", "in a month", "2026-12-23"),
        ("decision_date", "end of the month", "2026-11-30"),
        ("decision_date", "end of Q3", "2027-09-30"),
        ("decision_date", "end of Q4", "2026-12-31"),
        ("decision_date", "EOY", "2026-12-31"),
        ("decision_date", "by the end of next quarter", "2027-03-31"),
        ("decision_date", "Dec 15th", "2026-12-15"),
        ("decision_date", "15 January", "2027-01-15"),
        ("decision_date", "mid March", "2027-03-15"),
        ("decision_date", "March", "2027-03-31"),
        ("decision_date", "next week", "2026-12-04"),
        ("next_step", "Demo for the ops team on Thursday", "Demo for the ops team on Thursday"),
    ],
)
def test_real_world_phrasings(field: str, text: str, value: str) -> None:
    parsed = read(field, text)
    assert (parsed.outcome, parsed.value) == ("answer", value)


@pytest.mark.parametrize(
    "text",
    [
        "not sure",
        "No idea",
        "dunno",
        "I don't know yet",
        "?",
        "haven't asked",
        "nobody yet, Grace is IT",
    ],
)
def test_not_sure_is_recorded_as_unknown(text: str) -> None:
    parsed = read("money", text)
    assert (parsed.outcome, parsed.value) == ("unsure", "unknown")


def test_option_number_of_not_sure_is_unsure() -> None:
    assert read("money", "5").outcome == "unsure"


@pytest.mark.parametrize("text", ["skip", "Skip.", "later", "pass"])
def test_skip(text: str) -> None:
    assert read("money", text).outcome == "skip"


@pytest.mark.parametrize(
    ("field", "text", "hint"),
    [
        ("money", "hmm", "pick one of the options"),
        ("money", "approved but maybe next year", "more than one option"),
        ("money", "9", "pick one of the options"),
        ("exposure", "2 or 3", "give one number"),
        ("exposure", "7", "use a number from 1 to 5"),
        ("exposure", "pretty close", "a number from 1 to 5"),
        ("decision_date", "03/04/2026", "YYYY-MM-DD"),
        ("decision_date", "when pigs fly", "next Friday"),
        ("authority", "42", "a name"),
        ("authority", "approved", "a name"),
        ("authority", "next friday", "a name"),
        ("authority", "whoever holds the purse strings, so their finance chief", "a name"),
        ("champion", "hmm, well, the one upstairs", "a name"),
        ("champion_sells", "maybe", "pick one"),
    ],
)
def test_unclear_answers_say_what_to_give(field: str, text: str, hint: str) -> None:
    parsed = read(field, text)
    assert parsed.outcome == "unclear"
    assert parsed.value is None
    assert hint in (parsed.hint or "")


def test_hedged_answers_carry_lower_confidence() -> None:
    sure = read("champion_sells", "yes")
    hedged = read("champion_sells", "probably yes")
    assert sure.confidence == 1.0
    assert hedged.value == "yes"
    assert hedged.confidence < 1.0


def test_unknown_person_gets_lower_confidence_than_known() -> None:
    assert read("authority", "Maria Lopez").confidence > read("authority", "Bob Ng").confidence
