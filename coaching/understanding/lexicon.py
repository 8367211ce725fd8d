"""The language a reply is read with (lexicon.yaml), folded once for matching."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from coaching.data_files import read_yaml_mapping
from coaching.understanding.words import fold, fold_all

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")

Phrases = tuple[tuple[str, ...], ...]


class LexiconError(Exception):
    """lexicon.yaml is unreadable or misses a section."""


@dataclass(frozen=True)
class PeopleWords:
    abbreviations: frozenset[str]
    title_nouns: frozenset[str]
    groups: Phrases
    modifiers: frozenset[str]
    departments: Phrases
    synonyms: dict[tuple[str, ...], tuple[str, ...]]
    expansions: dict[str, str]
    particles: frozenset[str]
    honorifics: frozenset[str]
    forgot: Phrases


@dataclass(frozen=True)
class Lexicon:
    hedges: Phrases
    fillers: Phrases
    unsure: Phrases
    none: Phrases
    none_nouns: frozenset[str]
    none_adjectives: frozenset[str]
    none_tails: Phrases
    skip: Phrases
    undo: Phrases
    commands: dict[str, Phrases]
    question_openers: Phrases
    question_words: frozenset[str]
    small_talk: Phrases
    yes: Phrases
    yes_forms: Phrases
    yes_hedged: Phrases
    no: Phrases
    no_forms: Phrases
    no_hedged: Phrases
    negators: frozenset[str]
    not_yet_markers: frozenset[str]
    correction_verbs: frozenset[str]
    meant: Phrases
    correction_leads: frozenset[str]
    people: PeopleWords
    status_quo: Phrases
    in_house: Phrases
    alternative_words: frozenset[str]
    not_names: frozenset[str]


def _words(raw: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(word for phrase in raw[key] for word in fold(str(phrase)))


def _people(raw: dict[str, Any]) -> PeopleWords:
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
    for canonical, variants in raw["synonyms"].items():
        for variant in variants:
            synonyms[fold(str(variant))] = fold(str(canonical))
    return PeopleWords(
        abbreviations=_words(raw, "abbreviations"),
        title_nouns=_words(raw, "title_nouns"),
        groups=fold_all(raw["groups"]),
        modifiers=_words(raw, "modifiers"),
        departments=fold_all(raw["departments"]),
        synonyms=synonyms,
        expansions={str(short): str(long) for short, long in raw["expansions"].items()},
        particles=_words(raw, "particles"),
        honorifics=_words(raw, "honorifics"),
        forgot=fold_all(raw["forgot"]),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (read once)."""
    raw = read_yaml_mapping(LEXICON_FILE, "lexicon", LexiconError, "phrase lists")
    try:
        return Lexicon(
            hedges=fold_all(raw["hedges"]),
            fillers=fold_all(raw["fillers"]),
            unsure=fold_all(raw["unsure"]),
            none=fold_all(raw["none"]),
            none_nouns=_words(raw, "none_nouns"),
            none_adjectives=_words(raw, "none_adjectives"),
            none_tails=fold_all(raw["none_tails"]),
            skip=fold_all(raw["skip"]),
            undo=fold_all(raw["undo"]),
            commands={word: fold_all(phrases) for word, phrases in raw["commands"].items()},
            question_openers=fold_all(raw["question_openers"]),
            question_words=_words(raw, "question_words"),
            small_talk=fold_all(raw["small_talk"]),
            yes=fold_all(raw["yes_words"]),
            yes_forms=fold_all(raw["yes_forms"]),
            yes_hedged=fold_all(raw["yes_hedged_words"]),
            no=fold_all(raw["no_words"]),
            no_forms=fold_all(raw["no_forms"]),
            no_hedged=fold_all(raw["no_hedged_words"]),
            negators=_words(raw, "negators"),
            not_yet_markers=_words(raw, "not_yet_markers"),
            correction_verbs=_words(raw, "correction_verbs"),
            meant=fold_all(raw["meant"]),
            correction_leads=_words(raw, "correction_leads"),
            people=_people(raw["people"]),
            status_quo=fold_all(raw["status_quo"]),
            in_house=fold_all(raw["in_house"]),
            alternative_words=_words(raw, "alternative_words"),
            not_names=_words(raw, "not_names"),
        )
    except KeyError as exc:
        raise LexiconError(f"lexicon {LEXICON_FILE} has no section {exc}") from None
