"""Signals read from text with the lexicon: each quotes its sentence, verbatim.

A text yields at most one signal per kind and sentence. The quote is the sentence
the phrase was found in, cut to a window of words around the phrase when long; it is
always a substring of the text, so a reader can find it where it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from coaching.evidence.lexicon import Lexicon
from coaching.evidence.model import Activity, Signal

MAX_QUOTE = 200
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n\s*\n|\n(?=\s*[-*•])")


def read_text(
    lexicon: Lexicon,
    text: str,
    *,
    deal_id: int,
    occurred_on: dt.date,
    source: str,
    source_ref: str,
) -> list[Signal]:
    """The signals a text holds, each with its quote, date and source."""
    if not text or not text.strip():
        return []
    found: dict[tuple[str, int], Signal] = {}
    bounds = _sentences(text)
    for match in lexicon.matches(text):
        start, end = _sentence_of(bounds, match.start)
        key = (match.kind, start)
        if key in found:
            continue
        quote = _quote(text, start, end, match.start, match.end)
        found[key] = Signal(deal_id, match.kind, quote, occurred_on, source, source_ref)
    return sorted(found.values(), key=lambda signal: text.find(signal.quote))


def read_activity(lexicon: Lexicon, activity: Activity) -> list[Signal]:
    """The signals in an activity's subject and body; source is its kind (note, email...)."""
    text = "\n\n".join(part for part in (activity.subject, activity.body) if part)
    return read_text(
        lexicon,
        text,
        deal_id=activity.deal_id,
        occurred_on=activity.occurred_at.date(),
        source=activity.kind,
        source_ref=f"{activity.source}:{activity.source_ref}",
    )


def read_activities(lexicon: Lexicon, activities: Iterable[Activity]) -> list[Signal]:
    """Every signal in completed activities (a scheduled one has not happened yet)."""
    return [
        signal
        for activity in activities
        if activity.status == "completed"
        for signal in read_activity(lexicon, activity)
    ]


def quote_is_verbatim(quote: str, text: str) -> bool:
    """True when the quote appears in the text as written (runs of spaces may differ)."""
    if not quote.strip():
        return False
    if quote in text:
        return True
    squeeze = re.compile(r"\s+")
    return squeeze.sub(" ", quote.strip()) in squeeze.sub(" ", text)


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        bounds.append((start, end.end()))
        start = end.end()
    bounds.append((start, len(text)))
    return bounds


def _sentence_of(bounds: list[tuple[int, int]], at: int) -> tuple[int, int]:
    for start, end in bounds:
        if start <= at < end:
            return start, end
    return bounds[-1]


def _quote(text: str, start: int, end: int, hit_start: int, hit_end: int) -> str:
    """The sentence, trimmed; when long, a window of whole words around the phrase."""
    if end - start > MAX_QUOTE:
        slack = max(0, (MAX_QUOTE - (hit_end - hit_start)) // 2)
        window_start = max(start, hit_start - slack)
        window_end = min(end, hit_end + slack)
        if window_start > start:
            space = text.find(" ", window_start, hit_start)
            window_start = space + 1 if space != -1 else window_start
        if window_end < end:
            space = text.rfind(" ", hit_end, window_end)
            window_end = space if space != -1 else window_end
        start, end = window_start, window_end
    quote = text[start:end].strip()
    return quote.rstrip(".;").strip() or text[hit_start:hit_end]
