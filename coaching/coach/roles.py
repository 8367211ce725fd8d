"""The role table: job titles to buyer-side roles, and the objections each role raises.

Loaded from roles.yaml and validated at start. Meeting prep and role-play read it;
the champion briefings' stakeholder objections are meant to share it (see the
merge note in coaching/coach/__init__.py).
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


class RolesError(Exception):
    """The role table is unreadable or invalid; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(_Strict):
    label: str
    titles: tuple[str, ...]
    aliases: tuple[str, ...] = ()
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
        if self.default_role not in self.roles:
            raise ValueError(f"default_role {self.default_role!r} is not a role")
        for key, role in self.roles.items():
            unknown = [name for name in role.objections if name not in self.objections]
            if unknown:
                raise ValueError(f"roles.{key} names unknown objection {unknown[0]!r}")
        return self

    @cached_property
    def _title_phrases(self) -> list[tuple[str, str]]:
        """(phrase, role) pairs, longest phrase first."""
        pairs = [(title.lower(), key) for key, role in self.roles.items() for title in role.titles]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    def role_for_title(self, title: str | None) -> str | None:
        """The role whose longest title phrase appears in `title` as whole words."""
        if not title:
            return None
        text = f" {' '.join(re.findall(r'[a-z0-9&]+', title.lower()))} "
        for phrase, key in self._title_phrases:
            if f" {phrase} " in text:
                return key
        return None

    def role_for_alias(self, stored_role: str | None) -> str | None:
        if not stored_role:
            return None
        wanted = stored_role.lower()
        return next((key for key, role in self.roles.items() if wanted in role.aliases), None)

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
