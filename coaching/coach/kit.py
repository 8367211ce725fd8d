"""Everything the coach's composers read besides the deal: words, plays, roles."""

from __future__ import annotations

from dataclasses import dataclass

from coaching.coach.plays import PlayBook, default_plays
from coaching.coach.roles import RoleBook, default_roles
from coaching.coach.wording import CoachWording, default_wording
from coaching.risk import Wording, load_wording


@dataclass(frozen=True, slots=True)
class CoachKit:
    """The coach's wording, its plays, the role table and the risk engine's labels."""

    wording: CoachWording
    plays: PlayBook
    roles: RoleBook
    risk_wording: Wording

    def severity(self, level: int) -> str:
        return self.risk_wording.severity(level)

    def risk_label(self, rule: str) -> str:
        return self.risk_wording.label(rule)


def default_kit(risk_wording: Wording | None = None) -> CoachKit:
    """The shipped files (and the risk engine's wording, when the caller has it)."""
    return CoachKit(
        default_wording(), default_plays(), default_roles(), risk_wording or load_wording()
    )
