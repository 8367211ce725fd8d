"""The risk rules' thresholds, loaded from YAML and validated at start.

Each rule has a base severity and its own numbers; `stages` overrides numbers for
one CRM stage or one stage group. A broken file fails with the file, the rule and
what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coaching.playbook import StageGroup, normalize_stage

DEFAULT_RULES = Path(__file__).with_name("rules.yaml")
Severity = int
GROUPS = ("early", "middle", "late")


class RiskConfigError(ValueError):
    """The risk rules file is unreadable or invalid; the message says where and why."""


class RuleSettings(BaseModel):
    """What every rule has: on/off, a base severity, per-stage overrides of its numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    severity: int = Field(default=2, ge=1, le=3)
    groups: tuple[StageGroup, ...] = GROUPS  # type: ignore[assignment]
    stages: dict[str, dict[str, float]] = Field(default_factory=dict)
    evidence_days: int = Field(default=90, ge=1)
    """Signals read from notes count for this many days."""

    @model_validator(mode="after")
    def _known_overrides(self) -> Self:
        numbers = {
            name
            for name, field in type(self).model_fields.items()
            if field.annotation in (int, float)
        }
        for stage, values in self.stages.items():
            unknown = sorted(set(values) - numbers)
            if unknown:
                allowed = ", ".join(sorted(numbers)) or "none"
                raise ValueError(f"stages.{stage}: {unknown[0]!r} cannot vary by stage ({allowed})")
        return self

    def at(self, stage: str, group: StageGroup) -> Self:
        """These settings with the overrides of `stage` (or else of its group) applied."""
        by_key = {normalize_stage(key): values for key, values in self.stages.items()}
        override = by_key.get(normalize_stage(stage), by_key.get(group))
        if not override:
            return self
        fields = type(self).model_fields
        typed = {
            name: int(value) if fields[name].annotation is int else value
            for name, value in override.items()
        }
        return self.model_copy(update=typed)

    def applies_in(self, group: StageGroup) -> bool:
        return self.enabled and group in self.groups


class Stalled(RuleSettings):
    multiplier: float = Field(default=1.5, gt=0)
    min_won_deals: int = Field(default=5, ge=1)
    fallback_days: int = Field(default=30, ge=1)
    urgent_factor: float = Field(default=2.0, ge=1)


class NoActivity(RuleSettings):
    severity: int = Field(default=1, ge=1, le=3)
    days: int = Field(default=14, ge=1)
    urgent_days: int = Field(default=30, ge=1)


class Ghosting(RuleSettings):
    days: int = Field(default=10, ge=1)
    follow_ups: int = Field(default=2, ge=1)
    urgent_follow_ups: int = Field(default=4, ge=1)


class CloseDateSlipping(RuleSettings):
    pushes: int = Field(default=2, ge=1)
    urgent_pushes: int = Field(default=3, ge=1)
    urgent_overdue_days: int = Field(default=30, ge=1)


class StatusQuo(RuleSettings):
    min_signals: int = Field(default=2, ge=1)
    urgent_signals: int = Field(default=3, ge=1)
    no_event_answers: tuple[str, ...] = ("unknown", "none", "no", "nothing", "n/a")


class Indecision(RuleSettings):
    champion_in: tuple[StageGroup, ...] = ("middle", "late")
    min_signals: int = Field(default=2, ge=1)
    urgent_signals: int = Field(default=3, ge=1)
    many_options: int = Field(default=3, ge=2)
    decision_date_pushes: int = Field(default=2, ge=1)
    requests: int = Field(default=3, ge=2)


class NoPower(RuleSettings):
    groups: tuple[StageGroup, ...] = ("late",)
    large_groups: tuple[StageGroup, ...] = ("early", "middle")
    max_exposure: int = Field(default=2, ge=1, le=5)
    met_days: int = Field(default=60, ge=1)


class NoTestedChampion(RuleSettings):
    groups: tuple[StageGroup, ...] = ("late",)


class NoVisionOwner(RuleSettings):
    severity: int = Field(default=1, ge=1, le=3)
    unknown_answers: int = Field(default=2, ge=1)
    missing_in: tuple[StageGroup, ...] = ("late",)


class LateEntry(RuleSettings):
    pass


class CompetitorLeverage(RuleSettings):
    pass


class NoNextStep(RuleSettings):
    severity: int = Field(default=1, ge=1, le=3)
    groups: tuple[StageGroup, ...] = ("middle", "late")
    urgent_in: tuple[StageGroup, ...] = ("late",)


class StageSkipped(RuleSettings):
    within_days: int = Field(default=30, ge=1)
    urgent_days: int = Field(default=7, ge=0)


class OptimismGap(RuleSettings):
    urgent_signals: int = Field(default=2, ge=1)
    stage_groups: tuple[StageGroup, ...] = ("late",)
    early_phases: tuple[str, ...] = ("awareness", "interest")
    undefined_needs: tuple[str, ...] = ("research", "pain")
    money_answers: tuple[str, ...] = ("confirmed", "this_year")


class FeedbackTuning(BaseModel):
    """How managers' useful / not useful verdicts move a rule's posting threshold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verdicts_per_step: int = Field(default=3, ge=1)
    mute_at_step: int = Field(default=3, ge=1, le=3)
    window_days: int = Field(default=90, ge=1)


class RiskConfig(BaseModel):
    """Every rule's settings; rules missing from the file keep their defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stalled: Stalled = Stalled()
    no_activity: NoActivity = NoActivity()
    ghosting: Ghosting = Ghosting()
    close_date_slipping: CloseDateSlipping = CloseDateSlipping()
    no_decision_status_quo: StatusQuo = StatusQuo()
    no_decision_indecision: Indecision = Indecision()
    no_power: NoPower = NoPower()
    no_tested_champion: NoTestedChampion = NoTestedChampion()
    no_vision_owner: NoVisionOwner = NoVisionOwner()
    late_entry: LateEntry = LateEntry()
    optimism_gap: OptimismGap = OptimismGap()
    competitor_leverage: CompetitorLeverage = CompetitorLeverage()
    no_next_step: NoNextStep = NoNextStep()
    stage_skipped: StageSkipped = StageSkipped()
    feedback: FeedbackTuning = FeedbackTuning()


def load_risk_config(path: Path | None = None) -> RiskConfig:
    """Read and validate a rules file (the shipped default when path is None)."""
    source = path or DEFAULT_RULES
    try:
        raw: Any = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RiskConfigError(f"cannot read risk rules {source}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise RiskConfigError(f"risk rules {source} is not valid YAML: {exc}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RiskConfigError(f"risk rules {source} must be a mapping of rule ids to settings")
    try:
        return RiskConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            ".".join(str(part) for part in error["loc"])
            + ": "
            + error["msg"].removeprefix("Value error, ")
            for error in exc.errors()
        )
        raise RiskConfigError(f"risk rules {source} are invalid: {problems}") from None
