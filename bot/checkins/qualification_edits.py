"""Editing a deal's qualification in one go (a Slack modal, a form on any transport).

The `edit` action's value is JSON: {"deal": <deal id>, "answers": {"<field>": "<value>"}}.
Each value is checked against the playbook, recorded as a new answer (history is
appended, never overwritten) when it differs from the latest one, and the rep gets
one reply listing what changed and what was refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from bot.engine.messages import Message, Paragraph
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.model import latest_answers
from coaching.playbook import UNKNOWN, FieldSpec, Playbook
from storage import deals, queries
from storage.answers import record_answer
from storage.row_ids import row_id

EDIT_ACTION = "edit"
MAX_TEXT = 2000


def edit_value(deal_id: int, answers: dict[str, str]) -> str:
    """The `edit` action's value for these answers."""
    return json.dumps({"deal": deal_id, "answers": answers}, sort_keys=True)


def problem_with(spec: FieldSpec, value: str) -> str | None:
    """Why `value` cannot be recorded for this field, or None when it can."""
    if value == UNKNOWN:
        return None
    if not value.strip() or len(value) > MAX_TEXT:
        return say("edit_problem_empty")
    if spec.kind == "choice" and not spec.allow_text and spec.option(value) is None:
        return say("edit_problem_option")
    if spec.kind == "scale" and spec.scale:
        low, high = spec.scale.min, spec.scale.max
        if not (value.isdecimal() and low <= int(value) <= high):
            return say("edit_problem_scale", low=low, high=high)
    if spec.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return say("edit_problem_date")
    return None


def edit_action(playbook: Playbook) -> Callable[[Turn, str], None]:
    """The handler of the `edit` action (bot/checkins/__init__.py registers it)."""

    def edit(turn: Turn, value: str) -> None:
        request = _parse(value)
        if request is None:
            turn.out.send(Message.text(say("edit_bad_request")))
            return
        deal_id, answers = request
        deal = deals.owned_open_deal(turn.session, deal_id, turn.person.id)
        if deal is None:
            turn.out.send(Message.text(say("edit_not_your_deal")))
            return
        latest = latest_answers(queries.answers_for(turn.session, [deal.id]))
        saved: list[str] = []
        refused: list[str] = []
        for spec in playbook.fields:  # in the playbook's order; unknown fields are ignored
            key = spec.key
            if key not in answers:
                continue
            answer = answers[key].strip()
            problem = problem_with(spec, answer)
            if problem is not None:
                refused.append(say("edit_rejected", label=spec.label, problem=problem))
                continue
            current = latest.get(key)
            if current is not None and current.value == answer:
                continue
            record_answer(
                turn.session,
                deal_id=deal.id,
                field=key,
                value=answer,
                source="form",
                person_id=turn.person.id,
                now=turn.now,
            )
            saved.append(say("edit_line", label=spec.label, value=spec.display(answer)))
        turn.out.send(_reply(deal.name, saved, refused))

    return edit


def _parse(value: str) -> tuple[int, dict[str, str]] | None:
    try:
        data = json.loads(value)
        deal_id = row_id(data["deal"])
        answers = {str(key): str(item) for key, item in dict(data["answers"]).items()}
    except (ValueError, KeyError, TypeError):
        return None
    return (deal_id, answers) if deal_id else None


def _reply(deal: str, saved: list[str], refused: list[str]) -> Message:
    key = "qualification_edit_saved" if saved else "edit_nothing"
    heading = say(key, deal=deal)
    lines = (heading, *saved, *refused)
    return Message(summary=heading, blocks=tuple(Paragraph(text=line) for line in lines))
