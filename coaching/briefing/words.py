"""Words as the briefing compares them: normalised, lightly stemmed, ordinary or not."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import yaml

COMMON_WORDS_FILE = Path(__file__).with_name("common_words.yaml")


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def stem(word: str) -> str:
    """A light stem, so "nervous"/"nervously" or "budgets"/"budget" meet."""
    for suffix in ("ingly", "edly", "ing", "ly", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


@cache
def common_words() -> frozenset[str]:
    """Ordinary English words (common_words.yaml), normalised."""
    raw = yaml.safe_load(COMMON_WORDS_FILE.read_text(encoding="utf-8"))
    return frozenset(normalise(raw["words"]).split())


def clause(text: str) -> str:
    """A sentence to follow a colon: its first word in lower case when it is an ordinary
    word ("In the pilot" -> "in the pilot"), a name left as it is."""
    first = text.split(" ", 1)[0]
    if (first[1:2].islower() or first == "A") and normalise(first) in common_words():
        return text[:1].lower() + text[1:]
    return text
