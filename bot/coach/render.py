"""The coach's `Reply` as a channel-neutral message: a report's title (a reply with
sections, not small talk nor a choice) as a heading, any other title as a paragraph;
the lead as a paragraph; each section as a bold heading over its bullet points."""

from __future__ import annotations

from bot.engine.messages import Block, Heading, Message, Paragraph
from coaching.coach import Reply

CHAT = ("small_talk", "choose_deal", "choose_rep")  # a sentence over a list, not a title


def as_message(reply: Reply) -> Message:
    title = reply.title.text
    report = reply.sections and reply.kind not in CHAT
    blocks: list[Block] = [Heading(text=title) if report else Paragraph(text=title)]
    if reply.lead:
        blocks.append(Paragraph(text=reply.lead.text))
    for section in reply.sections:
        bullets = "\n".join(f"• {item.text}" for item in section.items)
        blocks.append(Paragraph(text=f"*{section.heading.text}*\n{bullets}"))
    return Message(summary=title, blocks=tuple(blocks))
