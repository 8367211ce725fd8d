"""Messages as plain text: the console transport and every notification fallback."""

from __future__ import annotations

import re

from bot.engine.messages import Actions, Facts, Heading, Image, Message, Paragraph, Question

_EMPHASIS = re.compile(r"(?<![\w*])[*_]([^*_\n]+)[*_](?![\w*])")


def plain(text: str) -> str:
    """Drop *bold* and _italic_ markers; keep `code` (commands read well in backticks)."""
    return _EMPHASIS.sub(r"\1", text)


def render_text(message: Message) -> str:
    parts: list[str] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            parts.append(f"== {plain(block.text)} ==")
        elif isinstance(block, Paragraph):
            parts.append(plain(block.text))
        elif isinstance(block, Facts):
            width = max((len(label) for label, _ in block.rows), default=0)
            parts.extend(f"  {label.ljust(width)}  {value}" for label, value in block.rows)
        elif isinstance(block, Question):
            parts.append(_question(block))
        elif isinstance(block, Actions):
            parts.append(
                "   ".join(f"[{button.label}: `{button.command}`]" for button in block.buttons)
            )
        elif isinstance(block, Image):
            parts.append(f"[{plain(block.alt)}]")
    return "\n".join(parts) if parts else plain(message.summary)


def _question(question: Question) -> str:
    lines = [plain(question.text)]
    lines.extend(
        f"  {number}) {choice.label}" for number, choice in enumerate(question.choices, start=1)
    )
    if question.hint:
        lines.append(f"  ({question.hint})")
    return "\n".join(lines)
