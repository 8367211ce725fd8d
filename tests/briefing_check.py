"""The briefing check: what a champion needs on the page, and nothing they must not read.

Used by the unit and integration tests of both writers: the sections a champion needs,
no sentence addressed to the reader as an instruction, every figure traceable to a
shareable fact or the seller profile, and an approval the guard allows.
"""

from __future__ import annotations

import re
from decimal import Decimal

from coaching.briefing import BriefingContent, ShareableDeal
from coaching.briefing.deterministic import day
from coaching.briefing.numbers import quantities

NEEDED = ("problem", "value", "why_now", "objections", "ask", "next_steps")
# Sentences that tell the reader what to do are coaching, not content: they belong to
# the rep's notes. The first word of a champion's sentence must not be one of these.
_IMPERATIVE = re.compile(
    r"^(?:open|put|ask|say|name|bring|show|weigh|rehearse|make|tell|use|agree|start|"
    r"invite|offer|remember|try|don't|do|be|consider|mention|explain|present|prepare|get|"
    r"find|let|keep|focus|lead|close|add|check|confirm|plan|send|write|call)\b",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"\b(?:in your own (?:figures|words)|if you can|before the meeting|ask \w+ (?:for|to))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n")


def missing_sections(content: BriefingContent) -> list[str]:
    return [key for key in NEEDED if not content.shared.present(key)]  # type: ignore[arg-type]


def instructions(content: BriefingContent) -> list[str]:
    """The champion's sentences that address the reader with an instruction."""
    found = []
    for text in content.shared_text().splitlines():
        for sentence in _SENTENCE.split(text):
            if sentence.rstrip().endswith("?"):
                continue  # a question the champion may ask the room, not an instruction
            body = sentence.split(": ", 1)[-1] if sentence.count(": ") == 1 else sentence
            starts = [sentence] if body is sentence else [sentence, body]
            if any(_IMPERATIVE.match(text.strip()) for text in starts) or _ADDRESSED.search(
                sentence
            ):
                found.append(sentence)
    return found


def untraceable_figures(content: BriefingContent, view: ShareableDeal) -> list[str]:
    """Numbers in the champion's page that no shareable fact, date or seller entry holds."""
    sources = [view.summary or "", view.account or "", view.product or ""]
    sources += [fact.value for fact in view.facts]
    sources += [person.described for person in view.people]
    sources += view.seller.public_texts() if view.seller else []
    allowed: set[Decimal] = {value for q in quantities("\n".join(sources)) for value in q.values}
    for key in ("decision_date", "next_step_date"):
        date = view.date(key)
        if date:
            allowed |= {Decimal(date.day), Decimal((date - view.today).days)}
            allowed |= {value for q in quantities(day(date)) for value in q.values}
    return [
        number.text for number in quantities(content.shared_text()) if not (number.values & allowed)
    ]


def objection_people(content: BriefingContent) -> set[str]:
    return {item.who.split(" (")[0] for item in content.shared.objections}
