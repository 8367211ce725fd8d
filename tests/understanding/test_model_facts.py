"""A model's facts pass the reader's own checks before anything is proposed."""

import datetime as dt

import pytest

from coaching.playbook import load_playbook
from coaching.understanding import KnownPerson, ProposedFact, ReplyContext, checked

PLAYBOOK = load_playbook()
TODAY = dt.date(2026, 11, 23)
PEOPLE = (KnownPerson("Maria Lopez", "CFO"), KnownPerson("Tom Becker", "Head of Dispatch"))
TEXT = "the reply"


def context(field: str) -> ReplyContext:
    return ReplyContext(PLAYBOOK, field, TODAY, people=PEOPLE)


def fact(field: str, value: str, confidence: str = "high", words: str = "") -> ProposedFact:
    return ProposedFact(field, value, confidence, words)  # type: ignore[arg-type]


def test_a_models_person_that_is_not_one_is_refused() -> None:
    for phrase in ("next quarter maybe", "the money won't be there", "very excited"):
        assert checked([fact("authority", phrase)], context("authority"), TEXT) is None


def test_a_known_person_is_spelled_as_the_deal_has_it() -> None:
    reading = checked([fact("champion", "tom")], context("champion"), TEXT)
    assert reading is not None
    assert (reading.asked.value, reading.asked.confidence) == ("Tom Becker", "high")


def test_a_new_person_is_at_most_medium_whatever_the_model_says() -> None:
    reading = checked([fact("authority", "Priya Shah, COO")], context("authority"), TEXT)
    assert reading is not None
    assert (reading.asked.value, reading.asked.confidence) == ("Priya Shah, COO", "medium")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("money", "maybe"),  # no such option
        ("money", "unknown_option"),
        ("exposure", "9"),  # outside the scale
        ("decision_date", "2026-02-30"),  # no such day
        ("next_step", "   "),
    ],
)
def test_a_value_the_playbook_does_not_allow_is_refused(field: str, value: str) -> None:
    assert checked([fact(field, value)], context(field), TEXT) is None


def test_low_confidence_is_never_proposed() -> None:
    assert checked([fact("money", "confirmed", "low")], context("money"), TEXT) is None


def test_extras_are_checked_for_their_own_fields() -> None:
    facts = [
        fact("authority", "Maria Lopez", words="Maria"),
        fact("exposure", "2", "medium"),
        fact("money", "lots"),  # not an option: dropped
        fact("budget", "x"),  # not a field: dropped
    ]
    reading = checked(facts, context("authority"), "Maria, met once")
    assert reading is not None
    assert [(item.field, item.value, item.words) for item in reading.facts] == [
        ("authority", "Maria Lopez", "Maria"),
        ("exposure", "2", "Maria, met once"),  # words not in the reply: the reply
    ]


def test_a_date_carries_its_day_and_a_long_text_is_cut() -> None:
    reading = checked([fact("decision_date", "2027-01-15")], context("decision_date"), TEXT)
    assert reading is not None and reading.asked.date == dt.date(2027, 1, 15)
    long = checked([fact("compelling_event", "word " * 100)], context("compelling_event"), TEXT)
    assert long is not None and len(long.asked.value) <= 280 and long.asked.value.endswith("…")
    assert long.asked.confidence == "medium"  # a gist is confirmed by the rep first


def test_none_and_unsure_are_answers_where_the_field_takes_them() -> None:
    none = checked([fact("champion", "none")], context("champion"), TEXT)
    unsure = checked([fact("money", "unknown")], context("money"), TEXT)
    assert none is not None and none.asked.is_none
    assert unsure is not None and unsure.asked.is_unsure
    assert checked([fact("exposure", "none")], context("exposure"), TEXT) is None
