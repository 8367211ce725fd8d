"""The signal lexicon: phrases per signal kind, from lexicon.yaml plus a team's own file.

A phrase is words matched ignoring case on word boundaries (any whitespace between
words), or a regular expression after "re:". A team's file has the same shape; its
phrases and competitor names are added to the shipped ones. A broken file fails at
start with the file, the kind and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coaching.data_files import read_yaml_mapping

DEFAULT_LEXICON = Path(__file__).with_name("lexicon.yaml")
KINDS = (
    "decision_timeline",
    "budget_blocked",
    "budget_approved",
    "competitor",
    "incumbent",
    "fear_of_change",
    "request",
    "repeated_request",
    "follow_up_unanswered",
    "partner_led",
    "champion_wavering",
    "no_urgency",
)


class LexiconError(ValueError):
    """A lexicon file is unreadable or invalid; the message says where and what to fix."""


@dataclass(frozen=True, slots=True)
class Match:
    kind: str
    start: int
    end: int
    topic: str
    """The words matched (a competitor's name, "third reference"...)."""


@dataclass(frozen=True)
class Lexicon:
    """Compiled phrases: one pattern per kind."""

    patterns: dict[str, re.Pattern[str]]
    competitors: tuple[str, ...]

    def matches(self, text: str) -> Iterator[Match]:
        """Every phrase found in `text`, by kind, in order of kinds then position."""
        for kind, pattern in self.patterns.items():
            for found in pattern.finditer(text):
                yield Match(kind, found.start(), found.end(), found.group(0))

    def topic(self, kind: str, quote: str) -> str | None:
        """The words of `kind` in a quote (e.g. which competitor), or None."""
        pattern = self.patterns.get(kind)
        found = pattern.search(quote) if pattern else None
        return found.group(0) if found else None


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The shipped lexicon, plus the phrases of a team's file when given."""
    phrases: dict[str, list[str]] = {kind: [] for kind in KINDS}
    competitors: list[str] = []
    for path in (DEFAULT_LEXICON, *((extra,) if extra else ())):
        raw = read_yaml_mapping(path, "signal lexicon", LexiconError, "kinds and competitors")
        _add(path, raw, phrases, competitors)
    patterns = {}
    for kind, words in phrases.items():
        sources = [_pattern(phrase) for phrase in words]
        if kind == "competitor":
            sources += [_pattern(name) for name in competitors]
        if sources:
            patterns[kind] = re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)
    return Lexicon(patterns, tuple(competitors))


def _add(path: Path, raw: dict[str, Any], phrases: dict[str, list[str]], names: list[str]) -> None:
    unknown = sorted(set(raw) - {"kinds", "competitors"})
    if unknown:
        raise LexiconError(
            f"signal lexicon {path}: unknown key {unknown[0]!r} (kinds, competitors)"
        )
    kinds = raw.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise LexiconError(f"signal lexicon {path}: kinds must map a kind to its phrases")
    for kind, entry in kinds.items():
        if kind not in phrases:
            raise LexiconError(
                f"signal lexicon {path}: unknown kind {kind!r}; use one of {', '.join(KINDS)}"
            )
        listed = entry.get("phrases") if isinstance(entry, dict) else None
        if not isinstance(listed, list) or not all(isinstance(p, str) and p for p in listed):
            raise LexiconError(f"signal lexicon {path}: kinds.{kind}.phrases must list phrases")
        for phrase in listed:
            _check(path, kind, phrase)
        phrases[kind].extend(listed)
    listed_names = raw.get("competitors") or []
    if not isinstance(listed_names, list) or not all(isinstance(n, str) for n in listed_names):
        raise LexiconError(f"signal lexicon {path}: competitors must list names")
    names.extend(name.strip() for name in listed_names if name.strip())


def _check(path: Path, kind: str, phrase: str) -> None:
    try:
        re.compile(_pattern(phrase))
    except re.error as exc:
        raise LexiconError(
            f"signal lexicon {path}: kinds.{kind}: {phrase!r} is not a valid expression: {exc}"
        ) from None


def _pattern(phrase: str) -> str:
    if phrase.startswith("re:"):
        return phrase[3:].strip()
    words = [re.escape(word) for word in phrase.split()]
    body = r"\s+".join(words)
    start = r"\b" if re.match(r"\w", phrase) else ""
    end = r"\b" if re.search(r"\w$", phrase) else ""
    return f"{start}{body}{end}"
