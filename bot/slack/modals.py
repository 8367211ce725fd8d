"""Modals: edit a deal's qualification, pause a deal.

A submitted modal ends where a typed command or a form on any transport ends: the
edit becomes the engine's `edit` action, the pause becomes `pause DEAL until DATE
because REASON`, so the same checks, history and replies apply.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.engine.replies import say
from bot.slack.blocks import Block, option, plain_text, sections
from coaching.playbook import UNKNOWN, FieldSpec
from coaching.qualification import QualificationCard

EDIT_VIEW = "edit_qualification"
PAUSE_VIEW = "pause_deal"
FIELD_BLOCK = "field~"
VALUE = "value"
UNTIL_BLOCK = "until"
REASON_BLOCK = "reason"
MAX_INPUT = 2000
MAX_TITLE = 24


def _modal(callback_id: str, title: str, metadata: dict[str, Any], blocks: list[Block]) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain_text(title, MAX_TITLE),
        "submit": plain_text(say("slack_modal_save"), MAX_TITLE),
        "close": plain_text(say("slack_modal_cancel"), MAX_TITLE),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(json.loads(view.get("private_metadata") or "{}"))
    except (ValueError, TypeError):
        return {}


# Edit qualification


def edit_modal(card: QualificationCard) -> dict[str, Any]:
    """One optional input per playbook field, filled with the latest answer."""
    deal = card.deal
    blocks = sections(say("slack_edit_intro", deal=deal.name))
    for line in card.lines:
        current = line.answer.value if line.answer else None
        blocks.append(
            {
                "type": "input",
                "block_id": f"{FIELD_BLOCK}{line.spec.key}",
                "optional": True,
                "label": plain_text(line.spec.label, 2000),
                "element": _field_element(line.spec, current),
            }
        )
    return _modal(EDIT_VIEW, say("slack_edit_title"), {"deal": deal.id}, blocks)


def _field_element(spec: FieldSpec, current: str | None) -> Block:
    if spec.kind in {"choice", "scale"}:
        choices = [(spec.display(value), value) for value in _values(spec)]
        element: Block = {
            "type": "static_select",
            "action_id": VALUE,
            "placeholder": plain_text(say("slack_choose")),
            "options": [option(label, value) for label, value in choices],
        }
        if current is not None and current in {value for _, value in choices}:
            element["initial_option"] = option(spec.display(current), current)
        return element
    if spec.kind == "date":
        element = {"type": "datepicker", "action_id": VALUE}
        if current and current != UNKNOWN:
            element["initial_date"] = current
        return element
    element = {"type": "plain_text_input", "action_id": VALUE, "max_length": MAX_INPUT}
    if current and current != UNKNOWN:
        element["initial_value"] = current[:MAX_INPUT]
    return element


def _values(spec: FieldSpec) -> list[str]:
    if spec.kind == "scale" and spec.scale:
        points = [str(point) for point in range(spec.scale.min, spec.scale.max + 1)]
        return [*points, UNKNOWN]
    values = [option.value for option in spec.options]
    return values if UNKNOWN in values else [*values, UNKNOWN]


def submitted_answers(view: dict[str, Any]) -> dict[str, str]:
    """field -> value for every filled input of a submitted edit modal."""
    answers: dict[str, str] = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        if block_id.startswith(FIELD_BLOCK):
            value = _input_value(actions.get(VALUE) or {})
            if value:
                answers[block_id.removeprefix(FIELD_BLOCK)] = value
    return answers


def _input_value(state: dict[str, Any]) -> str | None:
    kind = state.get("type")
    if kind == "static_select":
        return (state.get("selected_option") or {}).get("value")
    if kind == "datepicker":
        return state.get("selected_date")
    value = state.get("value")
    return value.strip() if isinstance(value, str) else None


# Pause


def pause_modal(deal_id: int, name: str, crm_id: str) -> dict[str, Any]:
    blocks = sections(say("slack_pause_intro", deal=name))
    blocks += [
        {
            "type": "input",
            "block_id": UNTIL_BLOCK,
            "label": plain_text(say("slack_pause_until")),
            "element": {"type": "datepicker", "action_id": VALUE},
        },
        {
            "type": "input",
            "block_id": REASON_BLOCK,
            "label": plain_text(say("slack_pause_reason")),
            "element": {
                "type": "plain_text_input",
                "action_id": VALUE,
                "max_length": 280,
                "placeholder": plain_text(say("slack_pause_reason_hint"), 150),
            },
        },
    ]
    return _modal(PAUSE_VIEW, say("slack_pause_title"), {"deal": deal_id, "crm": crm_id}, blocks)


def pause_errors(view: dict[str, Any], today: dt.date) -> dict[str, str]:
    """block id -> what to fix, for Slack to show on the field (`response_action: errors`)."""
    values = (view.get("state") or {}).get("values", {})
    until = _input_value((values.get(UNTIL_BLOCK) or {}).get(VALUE) or {})
    if not until:
        return {UNTIL_BLOCK: say("slack_pause_pick_date")}
    try:
        date = dt.date.fromisoformat(until)
    except ValueError:
        return {UNTIL_BLOCK: say("slack_pause_pick_date")}
    if date <= today:
        return {UNTIL_BLOCK: say("pause_needs_future")}
    return {}


def pause_command(view: dict[str, Any]) -> str | None:
    """The typed command a submitted pause modal stands for."""
    values = (view.get("state") or {}).get("values", {})
    until = _input_value((values.get(UNTIL_BLOCK) or {}).get(VALUE) or {})
    reason = _input_value((values.get(REASON_BLOCK) or {}).get(VALUE) or {})
    crm = metadata(view).get("crm")
    if not (until and reason and crm):
        return None
    return f"pause {crm} until {until} because {' '.join(reason.split())}"


def notice_modal(text: str) -> dict[str, Any]:
    """A modal that only says something (e.g. the deal is gone)."""
    return {
        "type": "modal",
        "title": plain_text(say("slack_edit_title"), MAX_TITLE),
        "close": plain_text(say("slack_modal_cancel"), MAX_TITLE),
        "blocks": sections(text),
    }
