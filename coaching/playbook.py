"""The qualification playbook: loaded from YAML and validated at start.

A team swaps in its own file (MEDDPICC, BANT...) without code changes; a broken file
fails at start with the file, the field and what is wrong.
"""

from __future__ import annotations

import functools
import re
import string
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from coaching.data_files import read_yaml_mapping

DEFAULT_PLAYBOOK = Path(__file__).with_name("playbook.yaml")
UNKNOWN = "unknown"
NONE = "none"
StageGroup = Literal["early", "middle", "late"]
STAGE_GROUPS: tuple[StageGroup, ...] = ("early", "middle", "late")
AnswerKind = Literal["choice", "scale", "date", "person", "text"]
Period = Literal["this_fiscal_year", "next_fiscal_year"]
PLACEHOLDERS = {"deal", "account", "person"}


class PlaybookError(Exception):
    """The playbook file is unreadable or invalid; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """A choice. In free text, `aliases` are phrases that mean it ("signed off"): read
    with confidence; `hints` only suggest it ("they cut the budget"): confirmed first.
    "yes" / "no" in either stand for every way of saying yes or no; "{competitor}" and
    "{person}" for the deal's known competitors and people. `period`: a date in the
    reply that falls in this (or next) fiscal year means this option.
    """

    value: str
    label: str
    aliases: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    period: Period | None = None


class Scale(_Strict):
    """A 1-5 scale; `aliases` and `hints` map a point to phrases, as for options."""

    min: int = 1
    max: int = 5
    min_label: str = ""
    max_label: str = ""
    aliases: dict[int, tuple[str, ...]] = Field(default_factory=dict)
    hints: dict[int, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _points_in_range(self) -> Scale:
        for point in (*self.aliases, *self.hints):
            if not self.min <= point <= self.max:
                raise ValueError(f"phrases for {point}, outside the scale {self.min}-{self.max}")
        return self


class FieldSpec(_Strict):
    """One qualification field: its question, answer kind, freshness and weight.

    `shareable`: its answers may appear in a champion briefing. Internal by default;
    the rep's note on an answer is internal whatever this says.

    For reading free text: `names` are how reps call the field ("DM", "budget": for
    "change DM to Tom"); `cues` follow a person the field is about ("Maria signs");
    `also_heard_in` lists the fields (or "*") whose replies may carry this field's
    facts in passing; `listing` reads a text field as a list of alternatives.
    """

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    question: str
    kind: AnswerKind
    options: tuple[Option, ...] = ()
    scale: Scale | None = None
    allow_text: bool = False
    requires: str | None = None
    fresh_for_days: int | None = Field(None, gt=0)
    weight: float = Field(1.0, gt=0)
    matters: dict[StageGroup, float] = Field(default_factory=dict)
    coaching: dict[str, str] = Field(default_factory=dict)
    shareable: bool = False
    names: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    also_heard_in: tuple[str, ...] = ()
    listing: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        if self.kind == "choice" and not self.options:
            raise ValueError("a choice field needs options")
        if self.kind != "choice" and self.options:
            raise ValueError(f"options only apply to choice fields, not {self.kind}")
        if self.kind == "scale" and self.scale is None:
            object.__setattr__(self, "scale", Scale())
        if self.listing and self.kind != "text":
            raise ValueError(f"listing only applies to text fields, not {self.kind}")
        for text in (self.question, *self.coaching.values()):
            _check_placeholders(text)
        return self

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    def display(self, value: str) -> str:
        """How an answer reads to people: an option's label, or the value itself."""
        if value == UNKNOWN:
            return "not sure"
        option = self.option(value)
        if value == NONE and option is None:
            return "none"
        return option.label if option else value

    def holds(self, value: str) -> bool:
        """Whether an answer names something: not "not sure", and not "none" where none
        is not one of the field's options (no champion, no next step)."""
        return value != UNKNOWN and (value != NONE or self.option(NONE) is not None)

    def coaching_for(self, value: str) -> str | None:
        """The coaching line for an answer: exact key, then scale range, then default."""
        if value in self.coaching:
            return self.coaching[value]
        if self.kind == "scale" and value.isdecimal():
            for key, line in self.coaching.items():
                low, _, high = key.partition("-")
                if low.isdecimal() and high.isdecimal() and int(low) <= int(value) <= int(high):
                    return line
        return None if value == UNKNOWN else self.coaching.get("default")


class Defaults(_Strict):
    fresh_for_days: int = Field(30, gt=0)
    unknown_fresh_for_days: int = Field(7, gt=0)


class StageGroups(_Strict):
    early: tuple[str, ...] = ()
    middle: tuple[str, ...] = ()
    late: tuple[str, ...] = ()
    default: StageGroup = "early"


class Playbook(_Strict):
    """The whole playbook; `group_of` maps a CRM stage name to early/middle/late.
    `fiscal_year_starts`: the month (1-12) the team's fiscal year starts in; quarters
    reps name ("end of Q1") are fiscal quarters."""

    name: str
    version: int = 1
    fiscal_year_starts: int = Field(1, ge=1, le=12)
    large_deal_amount: Decimal | None = Field(None, gt=0)
    """From this amount (in the deal's currency) a deal is large: the risk rules look at
    its decision maker earlier and rate its warnings one level higher."""
    stage_groups: StageGroups = Field(default_factory=StageGroups)
    defaults: Defaults = Field(default_factory=Defaults)
    fields: tuple[FieldSpec, ...]

    @model_validator(mode="after")
    def _references(self) -> Playbook:
        keys = [spec.key for spec in self.fields]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"field keys must be unique: {', '.join(duplicates)}")
        for spec in self.fields:
            if spec.requires and spec.requires not in keys:
                raise ValueError(f"{spec.key}.requires names unknown field {spec.requires!r}")
            for heard_in in spec.also_heard_in:
                if heard_in != "*" and heard_in not in keys:
                    raise ValueError(f"{spec.key}.also_heard_in names unknown field {heard_in!r}")
        return self

    @cached_property
    def by_key(self) -> dict[str, FieldSpec]:
        return {spec.key: spec for spec in self.fields}

    @cached_property
    def _stage_index(self) -> dict[str, StageGroup]:
        groups: dict[str, StageGroup] = {}
        for group in ("early", "middle", "late"):
            for stage in getattr(self.stage_groups, group):
                groups[normalize_stage(stage)] = group
        return groups

    def field(self, key: str) -> FieldSpec:
        try:
            return self.by_key[key]
        except KeyError:
            raise KeyError(f"the playbook has no field {key!r}") from None

    @cached_property
    def _groups_seen(self) -> dict[str, StageGroup]:
        return {}

    def group_of(self, stage: str, placed: str | None = None) -> StageGroup:
        """The stage group of a CRM stage name (remembered: a pipeline has few stage names).

        `placed` is the group an import gave the deal itself (a stage map, a Commit
        forecast): it wins over the name.
        """
        if placed in STAGE_GROUPS:
            return cast(StageGroup, placed)
        group = self._groups_seen.get(stage)
        if group is None:
            group = self._stage_index.get(normalize_stage(stage), self.stage_groups.default)
            self._groups_seen[stage] = group
        return group

    def knows_stage(self, stage: str) -> bool:
        """True when the playbook's stage groups list this CRM stage name."""
        return normalize_stage(stage) in self._stage_index

    def fresh_days(self, spec: FieldSpec, value: str) -> int:
        if value == UNKNOWN:
            return self.defaults.unknown_fresh_for_days
        return spec.fresh_for_days or self.defaults.fresh_for_days

    def importance(self, spec: FieldSpec, group: StageGroup) -> float:
        """The field's weight scaled by how much it matters in a stage group."""
        return spec.weight * spec.matters.get(group, 1.0)


@functools.lru_cache(maxsize=1024)
def normalize_stage(stage: str) -> str:
    """'Proposal/Price Quote' -> 'proposalpricequote' (remembered: stage names are few)."""
    return re.sub(r"[^a-z0-9]", "", stage.lower())


def _check_placeholders(text: str) -> None:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = names - PLACEHOLDERS
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS))
        raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}} in {text!r}; use {allowed}")


def load_playbook(path: Path | None = None) -> Playbook:
    """Read and validate a playbook file (the shipped default when path is None)."""
    source = path or DEFAULT_PLAYBOOK
    raw = read_yaml_mapping(source, "playbook", PlaybookError, "name and fields")
    try:
        return Playbook.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            _where(error, raw) + error["msg"].removeprefix("Value error, ")
            for error in exc.errors()
        )
        raise PlaybookError(f"playbook {source} is invalid: {problems}") from None


def _where(error: ErrorDetails, raw: dict[str, Any]) -> str:
    """`fields.money.options: ` rather than `fields.0.options: `."""
    location = [str(part) for part in error["loc"]]
    fields = raw.get("fields")
    if len(location) >= 2 and location[0] == "fields" and isinstance(fields, list):
        index = int(location[1])
        if index < len(fields) and isinstance(fields[index], dict):
            location[1] = str(fields[index].get("key", index))
    return ".".join(location) + ": " if location else ""
