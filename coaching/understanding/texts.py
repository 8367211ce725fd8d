"""Text fields: the rep's words as the value (and the date they carry); a listing field
("competitors") as the alternatives it names."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import lexicon
from coaching.understanding.options import Miss
from coaching.understanding.phrases import covered, phrase_hits
from coaching.understanding.readings import Candidate, Confidence
from coaching.understanding.when import dates_in
from coaching.understanding.words import Word, content, fold

STATUS_QUO = "doing nothing"
IN_HOUSE = "building it in-house"
COMPETITOR_SCORE = 85
ITEM_SEPARATORS = frozenset({",", ";", "/", "and", "&", "plus", "or", "also", "+", "as", "well"})


def read_text(text: str, words: Sequence[Word], context: ReplyContext) -> Candidate | Miss:
    """The reply, cleaned of lead-ins and hedges, with the first date it names."""
    kept = _trimmed(words, context)
    lex = lexicon()
    if not kept or all(
        word.text in {word for phrase in lex.yes + lex.no for word in phrase} for word in kept
    ):
        return Miss("text")
    start, end = kept[0].start, kept[-1].end
    if text[end : end + 1] == "." and text[end - 1 : end].isdigit():
        end += 1
    value = text[start:end].strip()
    value = value[:1].upper() + value[1:]
    mentions = [mention for mention in dates_in(text, context) if mention.value is not None]
    dated = mentions[0].value if mentions and mentions[0].precision != "vague" else None
    outside = [
        word
        for word in kept
        if not any(mention.start <= word.start < mention.end for mention in mentions)
    ]
    thin = not outside or (len(outside) < 2 and dated is None)  # "Q1", "call"
    negative = kept[0].text in lex.negators  # "not that anyone said": confirm first
    confidence: Confidence = "medium" if thin or negative else "high"
    return Candidate(value, confidence, value, date=dated)


def _trimmed(words: Sequence[Word], context: ReplyContext) -> list[Word]:
    """The words without leading lead-ins ("well", "the next step is") and hedges or
    fillers at either end."""
    lex = lexicon()
    leads = (
        list(lex.hedges)
        + list(lex.small_talk)
        + [phrase for phrase in lex.fillers if phrase[0] not in {"no", "not", "just", "still"}]
    )
    for name in context.spec.names:
        for tail in (("is",), (":",), ("-",), ()):
            leads.append((*fold(name), *tail))
            leads.append(("the", *fold(name), *tail))
    kept = list(words)
    changed = True
    while changed and kept:
        changed = False
        for phrase in sorted(leads, key=len, reverse=True):
            size = len(phrase)
            if tuple(word.text for word in kept[:size]) == phrase:
                kept = kept[size:]
                changed = True
                break
            if (
                size
                and tuple(word.text for word in kept[-size:]) == phrase
                and phrase in lex.hedges + lex.fillers
            ):
                kept = kept[:-size]
                changed = True
                break
        while kept and kept[0].is_punctuation:
            kept, changed = kept[1:], True
        while kept and kept[-1].is_punctuation and kept[-1].text not in {")"}:
            kept, changed = kept[:-1], True
    return kept


def read_listing(text: str, words: Sequence[Word], context: ReplyContext) -> Candidate | Miss:
    """The alternatives a reply names: known competitors (also misspelled), other
    capitalised names, doing nothing, building it in-house, or an unnamed alternative
    ("a couple of smaller players")."""
    lex = lexicon()
    found: list[tuple[int, str, Confidence]] = []
    special = phrase_hits(words, lex.status_quo + lex.in_house)
    for hit in special:
        label = STATUS_QUO if hit.value in lex.status_quo else IN_HOUSE
        found.append((words[hit.start].start, label, "high"))
    taken = covered(special)
    for item in _items(words, taken):
        found.extend(_item(text, item, context))
    if not found:
        return Miss("listing")
    found.sort(key=lambda entry: entry[0])
    names = list(dict.fromkeys(name for _, name, _ in found))
    confidence: Confidence = "high" if all(level == "high" for _, _, level in found) else "medium"
    return Candidate(", ".join(names), confidence, text.strip())


def _items(words: Sequence[Word], taken: set[int]) -> list[list[Word]]:
    items: list[list[Word]] = [[]]
    for index, word in enumerate(words):
        if index in taken or word.text in ITEM_SEPARATORS:
            items.append([])
        else:
            items[-1].append(word)
    return [item for item in items if content(item)]


def _item(text: str, item: list[Word], context: ReplyContext) -> list[tuple[int, str, Confidence]]:
    lex = lexicon()
    known = known_competitors(item, context.competitors)
    if known:
        return known
    blocked = lex.not_names | {word for phrase in lex.fillers + lex.hedges for word in phrase}
    names: list[tuple[int, str, Confidence]] = []
    run: list[Word] = []
    for word in [*item, Word("", len(text), len(text))]:
        original = text[word.start : word.end]
        if word.text and original[:1].isupper() and word.text not in blocked:
            run.append(word)
            continue
        if run:
            names.append((run[0].start, text[run[0].start : run[-1].end], "high"))
            run = []
    if names:
        return names
    if any(word.text in lex.alternative_words for word in item):
        kept = [
            word
            for word in item
            if word.text not in {w for p in lex.fillers + lex.hedges for w in p}
            or word.text in lex.alternative_words
        ]
        phrase = text[kept[0].start : kept[-1].end]
        if not text[: kept[0].start].strip():  # first in the reply: a sentence's start
            phrase = phrase[:1].upper() + phrase[1:]
        return [(kept[0].start, phrase, "medium")]
    return []


def known_competitors(
    words: Sequence[Word], competitors: Sequence[str]
) -> list[tuple[int, str, Confidence]]:
    """Known competitors the words name: exactly (spaces aside: "service now"), or
    misspelled ("globx", medium)."""
    found: list[tuple[int, str, Confidence]] = []
    texts = [word.text for word in words]
    for name in competitors:
        target = "".join(fold(name))
        for size in (1, 2, 3):
            for start in range(len(texts) - size + 1):
                typed = "".join(texts[start : start + size])
                if typed == target:
                    found.append((words[start].start, name, "high"))
                elif (
                    size == 1 and len(typed) >= 5 and fuzz.ratio(typed, target) >= COMPETITOR_SCORE
                ):
                    found.append((words[start].start, name, "medium"))
    best: dict[str, tuple[int, str, Confidence]] = {}
    for entry in sorted(found, key=lambda entry: entry[2] != "high"):
        best.setdefault(entry[1], entry)
    return sorted(best.values())
