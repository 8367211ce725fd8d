"""A person as typed by a rep: the name, and what was typed around it.

"Bob Stone (CFO, thinks we are overpriced)" is the name "Bob Stone", the title "CFO"
and a description the champion must never read. This is the one seam the briefing
uses to read a person; the understanding layer's person parser replaces
`split_person` when it lands (same input, same result type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.briefing.roles import RoleTable, load_roles

_PEOPLE_BREAKS = re.compile(r"\s+(?:and|&|\+)\s+|\s*[;+&]\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:[(),;:\[\]/|]|\s[-–—]\s|\n)\s*")
_PARTICLES = {"de", "da", "di", "del", "van", "von", "der", "den", "le", "la", "du", "bin", "al"}
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.?)$")
MAX_NAME_WORDS = 5


@dataclass(frozen=True, slots=True)
class TypedPerson:
    """A person as typed: the name, a title when one was given, and the rest."""

    name: str
    title: str | None = None
    description: str | None = None


def split_person(text: str, roles: RoleTable | None = None) -> TypedPerson:
    """The name at the start of `text`; a title-like part after it is the title, any
    other text is description (internal: never shown to a champion)."""
    roles = roles or load_roles()
    parts = [part for part in _SEPARATORS.split(text.strip()) if part]
    if not parts:
        return TypedPerson(name=text.strip())
    name, rest = _leading_name(parts[0])
    extra = ([rest] if rest else []) + parts[1:]
    title = next((part for part in extra if roles.looks_like_title(part)), None)
    described = [part for part in extra if part is not title]
    return TypedPerson(name=name, title=title, description=", ".join(described) or None)


def split_people(text: str, roles: RoleTable | None = None) -> list[TypedPerson]:
    """Every person an answer names ("Dana Cruz (CFO) and the COO"): split at "and", "&"
    and ";" outside brackets. A bare title ("the COO") is a person known by their title."""
    roles = roles or load_roles()
    found = []
    for part in _top_level_parts(text):
        bare = re.sub(r"^(?:the|our|their|your)\s+", "", part, flags=re.IGNORECASE).strip()
        words = bare.split()
        if (
            words
            and not _SEPARATORS.search(bare)
            and roles.looks_like_title(words[0])
            and roles.looks_like_title(bare)
        ):
            found.append(TypedPerson(name=bare, title=bare))
        else:
            found.append(split_person(part, roles))
    return [person for person in found if person.name]


def _top_level_parts(text: str) -> list[str]:
    """`text` split at _PEOPLE_BREAKS, except inside brackets."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[()\[\]]|" + _PEOPLE_BREAKS.pattern, text, re.IGNORECASE):
        token = match.group()
        if token in "([":
            depth += 1
        elif token in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _leading_name(part: str) -> tuple[str, str]:
    """The run of capitalised words (and particles) that opens `part`, and the rest."""
    words = part.split()
    taken = 0
    for word in words[:MAX_NAME_WORDS]:
        if _NAME_WORD.match(word) or (taken and word.casefold() in _PARTICLES):
            taken += 1
            continue
        break
    while taken and words[taken - 1].casefold() in _PARTICLES:
        taken -= 1
    if taken == 0:
        return part, ""
    return " ".join(words[:taken]), " ".join(words[taken:])
