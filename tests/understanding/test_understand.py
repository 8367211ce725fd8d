"""The understanding API on the replies issue 12 was filed for, and its contract."""

import datetime as dt
import json

import pytest

from coaching.playbook import load_playbook
from coaching.understanding import (
    Answered,
    Command,
    Correction,
    KnownPerson,
    PreviousAnswer,
    Question,
    ReplyContext,
    Skipped,
    SmallTalk,
    Unclear,
    Undo,
    explain,
    understand,
)

PLAYBOOK = load_playbook()
TODAY = dt.date(2026, 11, 23)  # a Monday
NORTHWIND = (KnownPerson("Maria Lopez", "CFO"), KnownPerson("Tom Becker", "Head of Dispatch"))


def read(field: str, text: str, **context: object):
    context.setdefault("people", NORTHWIND)
    context.setdefault("competitors", ("Globex", "Initech"))
    return understand(text, ReplyContext(PLAYBOOK, field, TODAY, **context))  # type: ignore[arg-type]


def test_a_phrase_about_time_is_never_a_person() -> None:
    reading = read("authority", "next quarter maybe")
    assert isinstance(reading, Unclear)
    assert reading.reason == "person"
    assert explain(reading.reason, PLAYBOOK.field("authority")).startswith("a name and title")


def test_a_new_person_is_a_name_and_a_title_to_confirm() -> None:
    reading = read("authority", "Maria Lind (CFO)", people=())
    assert isinstance(reading, Answered)
    fact = reading.asked
    assert (fact.value, fact.confidence) == ("Maria Lind, CFO", "medium")
    assert [person.display for person in fact.people] == ["Maria Lind (CFO)"]


def test_one_reply_can_give_facts_for_other_fields() -> None:
    reading = read("authority", "the CFO, Maria, but I have only met her once")
    assert isinstance(reading, Answered)
    assert (reading.asked.value, reading.asked.confidence) == ("Maria Lopez", "high")
    assert [(fact.field, fact.value, fact.confidence) for fact in reading.extras] == [
        ("exposure", "2", "medium")
    ]


def test_none_not_sure_and_skip_are_three_answers() -> None:
    none = read("champion", "there is no champion")
    unsure = read("champion", "not sure")
    assert isinstance(none, Answered) and none.asked.is_none
    assert isinstance(unsure, Answered) and unsure.asked.is_unsure
    assert isinstance(read("champion", "skip"), Skipped)


def test_a_next_step_carries_its_date() -> None:
    reading = read("next_step", "demo to their ops team next Thursday")
    assert isinstance(reading, Answered)
    assert reading.asked.date == dt.date(2026, 12, 3)
    assert [(fact.field, fact.value) for fact in reading.extras] == [
        ("next_step_date", "2026-12-03")
    ]


def test_hedges_lower_the_confidence_and_are_kept() -> None:
    reading = read("money", "probably next FY")
    assert isinstance(reading, Answered)
    assert (reading.asked.value, reading.asked.confidence) == ("next_year", "medium")
    assert reading.asked.hedge == "probably"


def test_known_people_are_matched_despite_a_slip() -> None:
    reading = read("champion", "Tomm")
    assert isinstance(reading, Answered)
    assert (reading.asked.value, reading.asked.confidence) == ("Tom Becker", "medium")


def test_several_people_stay_several_people() -> None:
    reading = read("authority", "Maria and Tom together")
    assert isinstance(reading, Answered)
    assert [person.name for person in reading.asked.people] == ["Maria Lopez", "Tom Becker"]
    assert reading.asked.confidence == "medium"


def test_questions_commands_and_small_talk_are_not_answers() -> None:
    assert isinstance(read("authority", "what should I do about Northwind?"), Question)
    assert read("money", "stop", commands=frozenset({"stop"})) == Command("stop")
    review = read("next_step", "deal review with the CFO", commands=frozenset({"deal"}))
    assert isinstance(review, Answered)  # a command word followed by words may be an answer
    snooze = read(
        "next_step",
        "snooze 2h",
        commands=frozenset({"snooze"}),
        text_commands=frozenset({"snooze"}),
    )
    assert snooze == Command("snooze", "2h")
    assert isinstance(read("need", "thanks!"), SmallTalk)


def test_corrections_name_their_field_and_new_reading() -> None:
    previous = PreviousAnswer("authority", "Maria Lopez")
    meant = read("champion", "no, I meant Tom", previous=previous)
    assert isinstance(meant, Correction) and meant.field == "authority"
    assert [(fact.value, fact.confidence) for fact in meant.facts] == [("Tom Becker", "high")]
    change = read("exposure", "change champion to Priya Shah")
    assert isinstance(change, Correction) and change.field == "champion"
    assert change.facts[0].value == "Priya Shah"
    unreadable = read("need", "change the decision date to whenever")
    assert isinstance(unreadable, Correction) and unreadable.facts == ()
    assert unreadable.reason == "date"
    assert read("champion", "undo", previous=previous) == Undo()


def test_fiscal_quarters_follow_the_playbook() -> None:
    april = PLAYBOOK.model_copy(update={"fiscal_year_starts": 4})
    reading = understand("end of Q1", ReplyContext(april, "decision_date", TODAY))
    assert isinstance(reading, Answered) and reading.asked.value == "2027-06-30"


def test_the_reps_date_habit_settles_03_04() -> None:
    assert isinstance(read("decision_date", "03/04/2027"), Unclear)
    reading = read("decision_date", "03/04/2027", day_first=True)
    assert isinstance(reading, Answered) and reading.asked.value == "2027-04-03"


def test_a_field_the_playbook_lacks_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no field 'budget'"):
        ReplyContext(PLAYBOOK, "budget", TODAY)


def test_every_reading_serialises_to_json() -> None:
    for field, text in [
        ("authority", "the CFO, Maria, but I have only met her once"),
        ("money", "approved but maybe next year"),
        ("champion", "no, I meant Tom"),
        ("need", "hi"),
    ]:
        json.dumps(read(field, text, previous=PreviousAnswer("authority", "x")).to_dict())
