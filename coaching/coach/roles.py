"""The role table: job titles to buyer-side roles, and the objections each role raises.

Loaded from roles.yaml and validated at start. Meeting prep and role-play read it.
Titles are matched as the champion briefings' role table matches them (whole words
in order, the most words win, then the role listed first; else the stored role), so
both agree on who is who until they share one table (see coaching/coach/__init__.py).
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coaching.coach.plays import Variant, When
from coaching.data_files import read_yaml_mapping

ROLES_FILE = Path(__file__).with_name("roles.yaml")
DECISION_MAKER = "decision_maker"  # the role of a decision maker whose title matches none


class RolesError(Exception):
    """The role table is unreadable or invalid; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(_Strict):
    label: str
    titles: tuple[str, ...] = ()
    crm_roles: tuple[str, ...] = ()
    cares_about: str
    asks_about: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    objections: tuple[str, ...]


class Point(_Strict):
    """Something a good answer to an objection does, recognised by its patterns."""

    label: str
    patterns: tuple[str, ...]
    from_fact: str | None = None

    @cached_property
    def compiled(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern, re.IGNORECASE) for pattern in self.patterns)


class Objection(_Strict):
    label: str
    say: str
    variants: tuple[Variant, ...] = ()
    push: str
    points: dict[str, Point]
    need: int = Field(1, ge=1)
    tip: str
    when: When = When()
    likelier: When = When()
    attendee: Literal["decision_maker", "champion"] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Objection:
        if self.need > len(self.points):
            raise ValueError(f"needs {self.need} points but lists {len(self.points)}")
        for variant in self.variants:
            if variant.say is None:
                raise ValueError("each variant needs `say`")
        return self


class RoleBook(_Strict):
    default_role: str
    roles: dict[str, Role]
    objections: dict[str, Objection]

    @model_validator(mode="after")
    def _references(self) -> RoleBook:
        for needed in (self.default_role, DECISION_MAKER):
            if needed not in self.roles:
                raise ValueError(f"{needed!r} must be a role")
        for key, role in self.roles.items():
            unknown = [name for name in role.objections if name not in self.objections]
            if unknown:
                raise ValueError(f"roles.{key} names unknown objection {unknown[0]!r}")
        return self

    def role_of(self, title: str | None, stored_role: str | None = None) -> str | None:
        """The role whose title phrase matches the most words of `title` (the first
        listed on a tie), else the role whose `crm_roles` has `stored_role`."""
        words = re.findall(r"[a-z0-9]+", (title or "").casefold())
        best: tuple[int, str] | None = None
        for key, role in self.roles.items():
            for phrase in role.titles:
                pattern = phrase.split()
                size = len(pattern)
                found = any(
                    words[start : start + size] == pattern for start in range(len(words) - size + 1)
                )
                if found and (best is None or size > best[0]):
                    best = (size, key)
        if best is not None:
            return best[1]
        wanted = (stored_role or "").casefold()
        return next((key for key, role in self.roles.items() if wanted in role.crm_roles), None)

    def role(self, key: str | None) -> Role:
        return self.roles.get(key or self.default_role) or self.roles[self.default_role]


def load_roles(path: Path = ROLES_FILE) -> RoleBook:
    raw: dict[str, Any] = read_yaml_mapping(path, "role table", RolesError, "roles")
    try:
        return RoleBook.model_validate(raw)
    except ValidationError as exc:
        raise RolesError(f"role table {path} is invalid: {exc}") from None


@cache
def default_roles() -> RoleBook:
    return load_roles()
