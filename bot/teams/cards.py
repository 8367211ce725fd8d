"""Neutral messages as Adaptive Cards, and card submissions back as engine actions.

Plain data, no Bot Framework import. Every button submits `{"action", "value"}`, the
engine's own words; a question's form submits `{"action": "answer", "question": ref}`
plus its input, read back as value "<ref>:<input>". So any feature's buttons (check-in
answers, warning feedback, briefing approval) work here without Teams-specific code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.engine.messages import (
    Block,
    Button,
    Facts,
    Heading,
    Image,
    Message,
    Paragraph,
    Question,
)
from bot.engine.pictures import draw_pictures
from bot.engine.replies import say

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"  # what Teams renders on desktop, web and mobile
ANSWER_INPUT = "answer"
BUTTON_STYLES = {"default": None, "primary": "positive", "danger": "destructive"}

_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")

Element = dict[str, Any]


def markdown(text: str) -> str:
    """Our markup in Teams markdown: *bold* becomes **bold**; _italic_ and `code` stay."""
    return _BOLD.sub(r"**\1**", text)


def card_markdown(text: str) -> str:
    """Teams markdown for a card's text: cards show no code spans, so `x` becomes “x”."""
    return _CODE.sub(r"“\1”", markdown(text))


def is_plain(message: Message) -> bool:
    """A message of paragraphs only reads best as a text message, not a card."""
    return all(isinstance(block, Paragraph) for block in message.blocks)


def plain_text(message: Message) -> str:
    """A plain message as Teams markdown: one paragraph per line of the original."""
    paragraphs = [block.text for block in message.blocks if isinstance(block, Paragraph)]
    lines = [line for text in paragraphs or [message.summary] for line in text.splitlines()]
    return "\n\n".join(markdown(line) for line in lines if line.strip())


def render_card(message: Message) -> Element:
    """The Adaptive Card for a message: headings, text, fact sets, questions, buttons."""
    body = [element for block in draw_pictures(message).blocks for element in _elements(block)]
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body or [_text(message.summary)],
    }


def _elements(block: Block) -> list[Element]:
    if isinstance(block, Heading):
        return [_text(block.text, style="heading", size="Large", weight="Bolder")]
    if isinstance(block, Paragraph):
        return [_text(block.text)]
    if isinstance(block, Facts):
        facts = [{"title": label, "value": card_markdown(value)} for label, value in block.rows]
        return [{"type": "FactSet", "facts": facts}]
    if isinstance(block, Question):
        return _question(block)
    if isinstance(block, Image):  # a data URI: Adaptive Cards 1.2+, PNG under Teams' 1 MB
        url = f"data:image/png;base64,{block.png}"
        return [{"type": "Image", "url": url, "altText": block.alt, "size": "Stretch"}]
    return [_action_set([_button(button) for button in block.buttons])]


def _question(question: Question) -> list[Element]:
    elements = [_text(question.text, weight="Bolder")]
    form = {"action": "answer", "question": question.ref}
    if question.kind == "scale" and question.choices:
        points = [
            _submit(
                choice.label,
                {"action": "answer", "value": f"{question.ref}:{choice.value}"},
                inputs=False,
            )
            for choice in question.choices
        ]
        elements.append(_action_set(points))
    elif question.kind == "date":
        elements += [
            {
                "type": "Input.Date",
                "id": ANSWER_INPUT,
                "label": say("teams_answer_label"),
                "isRequired": True,
                "errorMessage": say("teams_pick_date"),
            },
            _action_set([_submit(say("teams_submit"), form, style="positive")]),
        ]
    elif question.choices:
        elements += [
            {
                "type": "Input.ChoiceSet",
                "id": ANSWER_INPUT,
                "label": say("teams_answer_label"),
                "style": "expanded",
                "isRequired": True,
                "errorMessage": say("teams_pick_one"),
                "choices": [
                    {"title": choice.label, "value": choice.value} for choice in question.choices
                ],
            },
            _action_set([_submit(say("teams_submit"), form, style="positive")]),
        ]
    if question.hint:
        elements.append(_text(question.hint, isSubtle=True, size="Small", spacing="None"))
    return elements


def _text(text: str, **options: Any) -> Element:
    return {"type": "TextBlock", "text": card_markdown(text), "wrap": True} | options


def _action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}


def _button(button: Button) -> Element:
    data = {"action": button.action, "value": button.value}
    return _submit(button.label, data, style=BUTTON_STYLES[button.style], inputs=False)


def _submit(
    title: str, data: dict[str, str], style: str | None = None, *, inputs: bool = True
) -> Element:
    """A submit button; one that carries its own value (`inputs=False`) neither sends
    nor validates the card's inputs, so Skip works before an answer is picked."""
    action: Element = {"type": "Action.Submit", "title": title, "data": data}
    if not inputs:
        action["associatedInputs"] = "none"
    if style:
        action["style"] = style
    return action


def read_submission(data: object) -> tuple[str, str] | None:
    """(action, value) from a card's submitted data, or None when it is not ours or
    a question's form arrived without its input."""
    if not isinstance(data, Mapping):
        return None
    action = data.get("action")
    if not isinstance(action, str) or not action:
        return None
    if "question" in data:
        answer = data.get(ANSWER_INPUT)
        if not isinstance(answer, str) or not answer.strip():
            return None
        return action, f"{data['question']}:{answer.strip()}"
    value = data.get("value", "")
    return action, value if isinstance(value, str) else str(value)
