"""Stakeholder roles from titles: who raises which objection (the table is roles.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from coaching.data_files import read_yaml_mapping

ROLES_FILE = Path(__file__).with_name("roles.yaml")


class RoleTableError(ValueError):
    """The role table is malformed; the message names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Concern(_Strict):
    question: str


class Role(_Strict):
    key: str
    label: str
    concerns: tuple[str, ...]
    titles: tuple[str, ...]
    crm_roles: tuple[str, ...] = ()


class _Table(_Strict):
    concerns: dict[str, Concern]
    roles: tuple[Role, ...]
    decision_maker: tuple[str, ...]
    title_words: tuple[str, ...]

    @model_validator(mode="after")
    def _known_concerns(self) -> _Table:
        for owner, used in [(role.key, role.concerns) for role in self.roles] + [
            ("decision_maker", self.decision_maker)
        ]:
            unknown = sorted(set(used) - set(self.concerns))
            if unknown:
                raise ValueError(f"{owner}: unknown concern {unknown[0]!r}")
        return self


@dataclass(frozen=True, slots=True)
class RoleTable:
    """Titles to roles, roles to the concerns they raise."""

    table: _Table

    @property
    def concerns(self) -> dict[str, Concern]:
        return self.table.concerns

    @property
    def decision_maker_concerns(self) -> tuple[str, ...]:
        return self.table.decision_maker

    def role_of(self, title: str | None, crm_role: str | None = None) -> Role | None:
        """The role whose title pattern matches most words of `title`, else by CRM role."""
        words = _words(title or "")
        best: tuple[int, int, Role] | None = None
        for order, role in enumerate(self.table.roles):
            for pattern in role.titles:
                size = len(pattern.split())
                if _contains(words, pattern.split()) and (best is None or size > best[0]):
                    best = (size, -order, role)
        if best is not None:
            return best[2]
        wanted = (crm_role or "").casefold()
        return next((role for role in self.table.roles if wanted in role.crm_roles), None)

    def looks_like_title(self, text: str) -> bool:
        """Whether `text` reads as a job title ("Finance Director", "CFO")."""
        words = _words(text)
        if not words or len(words) > 6:
            return False
        patterns = [*self.table.title_words] + [p for r in self.table.roles for p in r.titles]
        return any(_contains(words, pattern.split()) for pattern in patterns)


@cache
def load_roles(path: Path = ROLES_FILE) -> RoleTable:
    raw = read_yaml_mapping(path, "role table", RoleTableError, "concerns, roles, title_words")
    try:
        return RoleTable(_Table.model_validate(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise RoleTableError(f"role table {path}: {where}: {first['msg']}") from None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _contains(words: list[str], pattern: list[str]) -> bool:
    size = len(pattern)
    return any(words[start : start + size] == pattern for start in range(len(words) - size + 1))
