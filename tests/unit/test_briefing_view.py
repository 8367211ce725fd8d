"""The shareable view: a fixed set of fields, filled only from data marked shareable."""

import dataclasses
import datetime as dt

import pytest

from coaching.briefing.view import (
    ShareableDeal,
    SharedFact,
    SharedPerson,
    StakeholderFacts,
    build_shareable_view,
)
from coaching.model import AnswerFact
from coaching.playbook import load_playbook

NOW = dt.datetime(2026, 11, 23, 13, tzinfo=dt.UTC)
SHAREABLE_FIELDS = {
    "authority",
    "need",
    "vision_owner",
    "champion",
    "compelling_event",
    "decision_date",
    "next_step",
    "next_step_date",
}


def answer(field: str, value: str, note: str | None = None, days_ago: int = 2) -> AnswerFact:
    return AnswerFact(1, field, value, NOW - dt.timedelta(days=days_ago), "rep", note=note)


def view(answers: list[AnswerFact], stakeholders: list[StakeholderFacts]) -> ShareableDeal:
    return build_shareable_view(
        load_playbook(),
        account="Acme",
        product="Route Planner",
        shared_summary="Late deliveries cost Acme 6% of revenue.",
        rep_name="Rita Reyes",
        answers=answers,
        stakeholders=stakeholders,
        now=NOW,
        today=NOW.date(),
    )


def test_the_view_types_have_exactly_the_allowed_fields() -> None:
    """Adding a field to a view type must be a deliberate act: update this list."""
    fields = {
        cls.__name__: {field.name for field in dataclasses.fields(cls)}
        for cls in (ShareableDeal, SharedFact, SharedPerson)
    }
    assert fields == {
        "ShareableDeal": {
            "account",
            "product",
            "summary",
            "rep_name",
            "facts",
            "people",
            "today",
            "seller",
            "risk",
        },
        "SharedFact": {"key", "label", "value", "display", "stale"},
        "SharedPerson": {"name", "title", "role"},
    }


def test_nothing_can_be_attached_to_a_view_after_the_fact() -> None:
    deal = view([], [])
    with pytest.raises((AttributeError, TypeError)):
        deal.description = "internal"  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        deal.summary = "changed"  # type: ignore[misc]


def test_the_shipped_playbook_marks_the_buyers_facts_shareable_and_nothing_else() -> None:
    shareable = {spec.key for spec in load_playbook().fields if spec.shareable}
    assert shareable == SHAREABLE_FIELDS


def test_internal_answers_notes_and_stakeholder_details_stay_out() -> None:
    playbook = load_playbook()
    answers = [
        answer(spec.key, f"MARK-{spec.key}-value", note=f"MARK-{spec.key}-note")
        for spec in playbook.fields
        if not spec.shareable
    ] + [
        answer("need", "defined", note="MARK-need-note"),
        answer("champion", "Chris Champion", note="MARK-champion-note"),
    ]
    stakeholders = [
        StakeholderFacts(
            "Chris Champion", "Head of Dispatch", "champion", "MARK@email", 2, True, "MARK-notes"
        ),
        StakeholderFacts("MARK-hidden", "MARK-title", "it", "x@y", 5, False, "MARK-hidden-notes"),
    ]
    deal = view(answers, stakeholders)
    assert "MARK" not in repr(deal)
    assert "MARK" not in " ".join(deal.texts())
    assert [fact.key for fact in deal.facts] == ["need", "champion"]
    assert deal.people == (SharedPerson("Chris Champion", "Head of Dispatch", "champion"),)


def test_unknown_answers_are_left_out_and_old_ones_flagged_stale() -> None:
    deal = view(
        [answer("need", "unknown"), answer("next_step", "Demo for the team", days_ago=10)], []
    )
    assert deal.fact("need") is None
    step = deal.fact("next_step")
    assert step is not None and step.stale  # next steps stay fresh for 7 days


def test_the_champion_and_decision_maker_come_from_shareable_answers_and_people() -> None:
    stakeholders = [StakeholderFacts("Olga Decider", "COO", "decision_maker", None, 1, True, None)]
    deal = view(
        [answer("authority", "olga decider"), answer("champion", "Chris Champion")], stakeholders
    )
    assert deal.decision_maker == SharedPerson("Olga Decider", "COO", "decision_maker")
    assert deal.champion == SharedPerson("Chris Champion")
