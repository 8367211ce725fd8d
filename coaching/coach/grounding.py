"""Checks that a reply states nothing the data does not hold.

`check_reply` reads a composed reply part by part: each plain part must be the
coach's own wording (found in its YAML files, or only punctuation), and each fact
must hold the value the data has at its source (`resolve` looks it up, the caller's
way). `unsupported` is for free text (a model's reply): the figures and capitalised
names in it that appear in none of the texts it may draw on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from coaching.coach.text import Fact, Reply

COACH_DIR = Path(__file__).parent
RISK_WORDING = COACH_DIR.parent / "risk" / "wording.yaml"
SHIPPED_TEXT_FILES = (
    *sorted(COACH_DIR.glob("*.yaml")),
    COACH_DIR.parent / "playbook.yaml",
    RISK_WORDING,
)
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[A-Z][\w-]*")
_LETTERS_OR_DIGITS = re.compile(r"[^\W_]")


def yaml_texts(paths: Iterable[Path] = SHIPPED_TEXT_FILES) -> list[str]:
    """Every string in these YAML files (keys included: labels are often keys)."""
    texts: list[str] = []
    for path in paths:
        texts.extend(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return texts


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_reply(
    reply: Reply, own_texts: Iterable[str], resolve: Callable[[Fact], str | None]
) -> list[str]:
    """What in `reply` is neither the coach's own wording nor a fact the data holds."""
    corpus = "\n".join(own_texts)
    problems = []
    for item in reply.lines():
        for part in item.parts:
            if isinstance(part, Fact):
                held = resolve(part)
                if held != part.value:
                    problems.append(
                        f"fact {part.source} (deal {part.deal_id}) says {part.value!r}, "
                        f"the data holds {held!r}"
                    )
            elif _LETTERS_OR_DIGITS.search(part) and part not in corpus:
                problems.append(f"text {part!r} is not in the coach's wording")
    return problems


def unsupported(text: str, known: Iterable[str]) -> list[str]:
    """Figures and capitalised words of `text` found in none of the `known` texts."""
    pool = "\n".join(known)
    return [token for token in _TOKEN.findall(text) if token not in pool]


_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;•\n“\"(\-])\s*$")


def ungrounded(text: str, known: Iterable[str]) -> list[str]:
    """What a model's reply states that none of the `known` texts holds: every figure,
    and every capitalised word that does not open a sentence (a name, mid-sentence).
    A word opening a sentence is let through: there capitals say nothing."""
    pool = "\n".join(known)
    found = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in pool or token == "I":
            continue
        if not token[0].isdigit() and _OPENS_SENTENCE.search(text[: match.start()]):
            continue
        found.append(token)
    return found
