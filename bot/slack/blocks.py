"""Block Kit rendering of the channel-neutral `Message`, within Slack's limits.

Slack refuses a message of more than 50 blocks, a section text over 3,000 characters
or a header over 150: long texts are cut at line or word boundaries and long
messages are split into several posts, never refused. Interactive elements carry the
neutral action in their action_id (`answer~2`) and its value in their value, so
every engine action works through one generic mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine.messages import Actions, Button, Choice, Facts, Heading, Message, Paragraph
from bot.engine.messages import Question as QuestionBlock
from bot.engine.replies import say
from bot.engine.text_render import plain

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT = 2000
MAX_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTION_VALUE = 150
MAX_ELEMENTS = 25
MAX_OPTIONS = 100
MAX_BUTTON_CHOICES = 5
SEPARATOR = "~"
QUESTION_BLOCK = "question"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlackPost:
    """One chat.postMessage / chat.update body: notification text and blocks."""

    text: str
    blocks: list[Block]


def render(message: Message) -> list[SlackPost]:
    """The message as one post, or several when it has more than 50 blocks."""
    blocks = message_blocks(message)
    summary = truncate(escape(message.summary), MAX_SECTION) or " "
    if not blocks:
        return [SlackPost(summary, [])]
    return [
        SlackPost(summary, blocks[start : start + MAX_BLOCKS])
        for start in range(0, len(blocks), MAX_BLOCKS)
    ]


def message_blocks(message: Message) -> list[Block]:
    blocks: list[Block] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            blocks.append(header(block.text))
        elif isinstance(block, Paragraph):
            blocks.extend(sections(block.text))
        elif isinstance(block, Facts):
            lines = "\n".join(f"*{escape(label)}*: {escape(value)}" for label, value in block.rows)
            blocks.extend(sections(lines, escaped=True))
        elif isinstance(block, QuestionBlock):
            blocks.extend(question_blocks(block))
        elif isinstance(block, Actions):
            blocks.extend(actions_blocks(block.buttons))
    return blocks


# Text


def escape(text: str) -> str:
    """Slack's three control characters; *bold* _italic_ `code` are already mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chunks(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at a line, else a word."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ") if cut < len(text) else ""
    if text:
        pieces.append(text)
    return pieces


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain_text(text: str, limit: int = MAX_LABEL) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(plain(text), limit) or " ", "emoji": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text, MAX_HEADER)}


def sections(text: str, *, escaped: bool = False) -> list[Block]:
    body = text if escaped else escape(text)
    return [{"type": "section", "text": mrkdwn(piece)} for piece in chunks(body, MAX_SECTION)]


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(truncate(escape(text), MAX_CONTEXT))]}


# Interactive elements


def action_id(action: str, suffix: str | int) -> str:
    """Unique within its block, and still says which neutral action it is."""
    return f"{action}{SEPARATOR}{suffix}"


def neutral_action(element: dict[str, Any]) -> tuple[str, str] | None:
    """(action, value) of a clicked button, chosen option or picked date; None otherwise."""
    action = str(element.get("action_id", "")).partition(SEPARATOR)[0]
    if not action:
        return None
    kind = element.get("type")
    if kind == "button":
        return action, str(element.get("value", ""))
    if kind == "static_select" and element.get("selected_option"):
        return action, str(element["selected_option"]["value"])
    if kind == "datepicker" and element.get("selected_date"):
        ref = str(element.get("block_id", "")).partition(SEPARATOR)[2]
        return action, f"{ref}:{element['selected_date']}"
    return None


def button(action: str, suffix: str | int, label: str, value: str, style: str = "default") -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id(action, suffix),
        "text": plain_text(label),
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style in {"primary", "danger"}:
        element["style"] = style
    return element


def actions_blocks(buttons: tuple[Button, ...]) -> list[Block]:
    elements = [
        button(item.action, index, item.label, item.value, item.style)
        for index, item in enumerate(buttons)
    ]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ELEMENTS]}
        for start in range(0, len(elements), MAX_ELEMENTS)
    ]


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain_text(label), "value": value}


def static_select(action: str, choices: list[tuple[str, str]], placeholder: str) -> Block:
    """A menu of (label, value); values Slack cannot carry (over 150 characters) are left out
    (the rep can still type the answer)."""
    options = [option(label, value) for label, value in choices if len(value) <= MAX_OPTION_VALUE]
    return {
        "type": "static_select",
        "action_id": action_id(action, "select"),
        "placeholder": plain_text(placeholder),
        "options": options[:MAX_OPTIONS],
    }


def datepicker(action: str, placeholder: str) -> Block:
    return {
        "type": "datepicker",
        "action_id": action_id(action, "date"),
        "placeholder": plain_text(placeholder),
    }


def question_blocks(question: QuestionBlock) -> list[Block]:
    """The question, its answer element (buttons, a menu, a date picker), then its hint.

    A choice's value is `<question ref>:<choice value>`, the `answer` action's value."""
    blocks = sections(f"*{question.text}*")
    block_id = f"{QUESTION_BLOCK}{SEPARATOR}{question.ref}"
    element_block = _answer_elements(question, block_id)
    if element_block is not None:
        blocks.append(element_block)
    if question.hint:
        blocks.append(context(question.hint))
    return blocks


def _answer_elements(question: QuestionBlock, block_id: str) -> Block | None:
    if question.kind == "date":
        element = datepicker("answer", say("slack_pick_date"))
        return {"type": "actions", "block_id": block_id, "elements": [element]}
    if not question.choices:
        return None
    values = [(choice.label, _answer_value(question, choice)) for choice in question.choices]
    if len(values) <= MAX_BUTTON_CHOICES:
        elements = [
            button("answer", index, label, value) for index, (label, value) in enumerate(values)
        ]
    else:
        elements = [static_select("answer", values, say("slack_choose"))]
    return {"type": "actions", "block_id": block_id, "elements": elements}


def _answer_value(question: QuestionBlock, choice: Choice) -> str:
    return f"{question.ref}:{choice.value}"
