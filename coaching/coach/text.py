"""Grounded text: every line the coach writes is its own wording plus cited facts.

A `Line` keeps its parts apart: plain strings, which come from the coach's YAML
wording, and `Fact`s, each naming where in the deal's data its value came from
(`deal.amount`, `answer.authority`, `risk.no_power.reason`...). Rendering joins them;
`Reply.facts` lists every fact a reply used, so a test can check each one against
the data and check that nothing else in the text is a figure or a name.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class TemplateError(Exception):
    """A wording template names a placeholder nobody filled."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One value from the data: where it lives (the deal's id and a source such as
    `answer.authority`), the value as stored, and how it reads."""

    source: str
    value: str
    shown: str
    deal_id: int | None = None


Part = str | Fact


@dataclass(frozen=True, slots=True)
class Line:
    """A line of text as wording and facts."""

    parts: tuple[Part, ...] = ()

    @property
    def text(self) -> str:
        return "".join(part.shown if isinstance(part, Fact) else part for part in self.parts)

    @property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(part for part in self.parts if isinstance(part, Fact))

    def __bool__(self) -> bool:
        return bool(self.text.strip())


Slot = Part | Line


def line(*parts: Slot) -> Line:
    """A line from strings, facts and other lines, in order."""
    flat: list[Part] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, Line) else (part,))
    return Line(tuple(flat))


def fill(template: str, slots: Mapping[str, Slot]) -> Line:
    """`template`'s {placeholders} replaced by the slots (facts stay facts)."""
    parts: list[Slot] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if name is None:
            continue
        if spec or conversion or name not in slots:
            raise TemplateError(f"{template!r}: nothing fills {{{name}}}")
        parts.append(slots[name])
    return line(*parts)


def join(lines: Iterable[Line], separator: str, last: str | None = None) -> Line:
    """Lines joined by `separator` (and `last` before the final one, e.g. ' and ')."""
    items = [item for item in lines if item]
    parts: list[Slot] = []
    for index, item in enumerate(items):
        if index:
            final = index == len(items) - 1
            parts.append(last if final and last is not None else separator)
        parts.append(item)
    return line(*parts)


@dataclass(frozen=True, slots=True)
class Section:
    heading: Line
    items: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the coach answers: a title, an optional lead, sections of items."""

    kind: str
    title: Line
    sections: tuple[Section, ...] = ()
    lead: Line = field(default_factory=Line)

    def lines(self) -> list[Line]:
        found = [self.title, self.lead]
        for section in self.sections:
            found.append(section.heading)
            found.extend(section.items)
        return [item for item in found if item]

    @property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(fact for item in self.lines() for fact in item.facts)

    def text(self) -> str:
        """The plain-text rendering (console, tests, README)."""
        out = [self.title.text]
        if self.lead:
            out.append(self.lead.text)
        for section in self.sections:
            out.append("")
            out.append(section.heading.text)
            out.extend(f"• {item.text}" for item in section.items)
        return "\n".join(out)
