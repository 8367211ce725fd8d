"""What a briefing says: the champion's page and the rep's notes, as validated data.

The same schema is the model writer's reply format and what the deterministic writer
fills in, so both writers produce the same shape and go through the same guard.
Lengths are checked by validators rather than JSON-schema keywords, so the schema
sent to a model stays within what strict structured output accepts.

Every section is content or absent: the sections a writer has nothing to say in are
empty strings (empty lists), never instructions to the reader; what is missing goes to
the rep (`questions_for_rep`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T", str, list)


def _at_most(limit: int, *, empty: bool = False) -> Callable[[T], T]:
    def check(value: T) -> T:
        if len(value) > limit:
            raise ValueError(
                f"at most {limit} {'characters' if isinstance(value, str) else 'items'}"
            )
        if not empty and isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty")
        return value

    return check


Text = Annotated[str, AfterValidator(_at_most(1500))]
Section = Annotated[str, AfterValidator(_at_most(1500, empty=True))]
Item = Annotated[str, AfterValidator(_at_most(600))]
Note = Annotated[str, AfterValidator(_at_most(600, empty=True))]
SectionKey = Literal[
    "headline", "problem", "vision", "value", "why_now", "objections", "ask", "next_steps"
]
SECTIONS: tuple[SectionKey, ...] = (
    "headline",
    "problem",
    "vision",
    "value",
    "why_now",
    "objections",
    "ask",
    "next_steps",
)
LIST_SECTIONS = frozenset({"objections", "next_steps"})
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Objection(_Strict):
    who: Text = Field(description="the stakeholder, e.g. 'Finance (Raj Patel)'")
    concern: Note = Field(description="what they will ask, in their words")
    answer: Text = Field(description="what the champion can answer")


class RolePlay(_Strict):
    question: Item = Field(description="a question the champion is likely to face")
    answer: Text = Field(description="a suggested answer, built only from the facts given")


class SharedBriefing(_Strict):
    """The page the champion reads, in the buyer's language."""

    headline: Item = Field(description="one line: what is decided, for whom, by when")
    problem: Section = Field(
        description="the problem and what it costs them today; empty when not known"
    )
    vision: Section = Field(description="whose vision this project is; empty when not known")
    value: Section = Field(
        description="what they get, and why us over the alternatives and doing nothing"
    )
    why_now: Section = Field(description="why act now rather than later; empty when not known")
    objections: Annotated[list[Objection], AfterValidator(_at_most(12))] = Field(
        description="what each person in the decision meeting will ask, with the answer",
    )
    ask: Text = Field(description="the decision asked for")
    next_steps: Annotated[list[Item], AfterValidator(_at_most(8))] = Field(
        description="next steps, each with its date"
    )

    def present(self, key: SectionKey) -> bool:
        """Whether the section has content (an absent one is left out of the page)."""
        return bool(getattr(self, key))


class RepNotes(_Strict):
    """For the rep only: never sent to the champion."""

    offer: Text = Field(description="the words to offer the champion this help")
    role_play: Annotated[list[RolePlay], AfterValidator(_at_most(8))] = Field(
        description="questions the champion will face, with suggested answers"
    )
    debrief: Annotated[list[Item], AfterValidator(_at_most(8))] = Field(
        description="questions to ask after the meeting"
    )
    questions_for_rep: Annotated[list[Item], AfterValidator(_at_most(12))] = Field(
        description="facts that are missing, asked of the rep; never invented"
    )


class BriefingContent(_Strict):
    shared: SharedBriefing
    rep: RepNotes

    def shared_text(self) -> str:
        """Every word the champion would read."""
        return "\n".join(text for text in _strings(self.shared.model_dump()) if text)

    def all_text(self) -> str:
        return "\n".join(_strings(self.model_dump()))

    def with_section(self, key: SectionKey, text: str) -> BriefingContent:
        """A copy with one shared section replaced by the rep's text. List sections take
        one item per line; an objection line reads `Who: answer`."""
        value: object = " ".join(text.split())
        if key in LIST_SECTIONS:
            lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
            lines = [line for line in lines if line]
            value = [_objection(line) for line in lines] if key == "objections" else lines
        shared = SharedBriefing.model_validate(self.shared.model_dump() | {key: value})
        return self.model_copy(update={"shared": shared})

    def section_text(self, key: SectionKey) -> str:
        """A section as the rep would type it back."""
        value = getattr(self.shared, key)
        if key == "objections":
            return "\n".join(f"{item.who}: {item.answer}" for item in value)
        if key in LIST_SECTIONS:
            return "\n".join(value)
        return str(value)


def _objection(line: str) -> Objection:
    who, colon, answer = line.partition(":")
    if not colon or not answer.strip():
        return Objection(who="Everyone", concern="", answer=line)
    return Objection(who=who.strip(), concern="", answer=answer.strip())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []
