"""Corrections: "no, I meant Tom" (the last answer), "change champion to Priya Shah",
"champion should be Grace", "the DM is actually Tom" (any answer, by its field's name)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from coaching.playbook import Playbook
from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import lexicon
from coaching.understanding.readings import Answered, Correction, Reading, Unclear
from coaching.understanding.words import Word, fold

Read = Callable[[str, ReplyContext], Reading]
ARTICLES = frozenset({"the", "my", "our", "their"})
LINKS = (("to",), (":",), ("=",), ("as",), ("is",), ("-", ">"), ("should", "be"))
STATEMENTS = (("should", "be"), ("is", "actually"), ("is", "now"), ("is", "really"))


def read_correction(
    text: str, words: Sequence[Word], context: ReplyContext, read: Read
) -> Reading | None:
    """The correction the reply makes, read with `read`; None when it makes none. A
    correction of the field being asked is simply its answer."""
    lex = lexicon()
    index, leads = 0, set()
    while index < len(words) and (
        words[index].text in lex.correction_leads or words[index].is_punctuation
    ):
        leads.add(words[index].text)
        index += 1
    texts = tuple(word.text for word in words)
    for phrase in lex.meant:
        if texts[index : index + len(phrase)] == phrase and index + len(phrase) < len(words):
            target = context.previous.field if context.previous else context.field
            return _corrected(
                text, words, index + len(phrase), target=target, context=context, read=read
            )
    if index < len(words) and texts[index] in lex.correction_verbs:
        start = _skip_articles(texts, index + 1)
        found = _field_at(texts, start, context.playbook)
        if found is not None:
            target, after = found
            link = _link(texts, after, LINKS)
            if link is not None:
                return _corrected(text, words, link, target=target, context=context, read=read)
    found = _field_at(texts, _skip_articles(texts, index), context.playbook)
    if found is not None:
        target, after = found
        link = _link(texts, after, STATEMENTS)
        if link is None and "actually" in leads:
            link = _link(texts, after, (("is",),))
        if link is not None and target != context.field:
            return _corrected(text, words, link, target=target, context=context, read=read)
    return None


def _skip_articles(texts: tuple[str, ...], index: int) -> int:
    while index < len(texts) and texts[index] in ARTICLES:
        index += 1
    return index


def _field_at(texts: tuple[str, ...], index: int, playbook: Playbook) -> tuple[str, int] | None:
    """The field whose name starts at `index` (the longest name wins), and where it ends."""
    best: tuple[str, int] | None = None
    for spec in playbook.fields:
        for name in (*spec.names, spec.label, spec.key.replace("_", " ")):
            folded = fold(name)
            if folded and texts[index : index + len(folded)] == folded:
                end = index + len(folded)
                if best is None or end > best[1]:
                    best = (spec.key, end)
    return best


def _link(texts: tuple[str, ...], index: int, links: tuple[tuple[str, ...], ...]) -> int | None:
    for link in links:
        if texts[index : index + len(link)] == link and index + len(link) < len(texts):
            return index + len(link)
    return None


def _corrected(
    text: str,
    words: Sequence[Word],
    start: int,
    *,
    target: str,
    context: ReplyContext,
    read: Read,
) -> Reading:
    rest = text[words[start].start :]
    if target == context.field:
        return read(rest, context)
    reading = read(rest, context.asking(target))
    if isinstance(reading, Answered):
        return Correction(target, reading.facts)
    if isinstance(reading, Unclear):
        return Correction(target, reason=reading.reason)
    return Correction(target, reason="correction")
