"""How long this team's won deals spend in a stage: the learned stall threshold.

Time in a stage is measured from stage changes: a won deal entered its first stage
when it was created and each later stage at the change into it; the spell in a
stage ends at the change out of it. The stage a deal was won from counts only up to
a recorded change out of it.

Many CRM exports keep no stage history (the crm-sample has only created_on and
close_date, and collapses every open stage into "In Progress"). Then the one
interval we can measure is a won deal's whole cycle, created to closed. A deal that
never changed stage since it was created is compared with that cycle: its time in
stage is its age, the same measure. A deal that did change stage is compared only
with per-stage history; with too little of it, the fallback applies.

The limit is `multiplier` x the median, when at least `min_won_deals` won deals of
the team give a sample; otherwise the stage's `fallback_days`.

When the CRM gave no stage entry date, the deal has been in its stage at least since an
import first saw it there; the rule measures that, and compares the deal's age with
the cycle limit only as a non-urgent sign (see rules.stalled).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from coaching.playbook import normalize_stage
from coaching.risk.config import Stalled

Basis = Literal["stage", "cycle", "fallback"]


@dataclass(frozen=True, slots=True)
class StageChange:
    old: str | None
    new: str | None
    on: dt.date


@dataclass(frozen=True, slots=True)
class WonDeal:
    """A won deal of a team, with the stage changes its history recorded (maybe none)."""

    team: int
    created_on: dt.date | None
    closed_on: dt.date | None
    stage_changes: tuple[StageChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Sample:
    median: float
    count: int


@dataclass(frozen=True, slots=True)
class TeamBaseline:
    """Medians of one team's won deals: per stage (normalised name) and whole cycle."""

    stages: dict[str, Sample] = field(default_factory=dict)
    cycle: Sample | None = None


@dataclass(frozen=True, slots=True)
class StallLimit:
    """Days in stage beyond which a deal is stalled, and where that number came from."""

    days: int
    basis: Basis
    median: float | None = None
    samples: int = 0


def stage_spells(deal: WonDeal) -> list[tuple[str, int]]:
    """(normalised stage, days) for each stage the won deal left by a recorded change."""
    spells: list[tuple[str, int]] = []
    entered = deal.created_on
    for change in sorted(deal.stage_changes, key=lambda change: change.on):
        if change.old and entered is not None and change.on >= entered:
            spells.append((normalize_stage(change.old), (change.on - entered).days))
        entered = change.on
    return spells


def cycle_days(deal: WonDeal) -> int | None:
    if deal.created_on is None or deal.closed_on is None or deal.closed_on < deal.created_on:
        return None
    return (deal.closed_on - deal.created_on).days


def learn_baselines(won: Iterable[WonDeal]) -> dict[int, TeamBaseline]:
    """Each team's medians from its won deals."""
    stage_days: dict[int, dict[str, list[int]]] = {}
    cycles: dict[int, list[int]] = {}
    for deal in won:
        per_stage = stage_days.setdefault(deal.team, {})
        for stage, days in stage_spells(deal):
            per_stage.setdefault(stage, []).append(days)
        cycle = cycle_days(deal)
        if cycle is not None:
            cycles.setdefault(deal.team, []).append(cycle)
    teams = set(stage_days) | set(cycles)
    return {
        team: TeamBaseline(
            stages={
                stage: _sample(days) for stage, days in stage_days.get(team, {}).items() if days
            },
            cycle=_sample(cycles[team]) if cycles.get(team) else None,
        )
        for team in teams
    }


def _sample(days: list[int]) -> Sample:
    return Sample(float(statistics.median(days)), len(days))


def stall_limit(
    baseline: TeamBaseline | None, stage: str, never_moved: bool, settings: Stalled
) -> StallLimit:
    """The limit for a deal in `stage`: learned from the team's won deals, else the fallback."""
    enough = settings.min_won_deals
    if baseline is not None:
        sample = baseline.stages.get(normalize_stage(stage))
        if sample is not None and sample.count >= enough:
            return _learned(sample, "stage", settings)
        if never_moved and baseline.cycle is not None and baseline.cycle.count >= enough:
            return _learned(baseline.cycle, "cycle", settings)
    return StallLimit(settings.fallback_days, "fallback")


def cycle_limit(baseline: TeamBaseline | None, settings: Stalled) -> StallLimit | None:
    """The limit learned from the team's whole cycles (created to won), if enough show it."""
    cycle = baseline.cycle if baseline is not None else None
    if cycle is None or cycle.count < settings.min_won_deals:
        return None
    return _learned(cycle, "cycle", settings)


def _learned(sample: Sample, basis: Basis, settings: Stalled) -> StallLimit:
    days = max(1, int(settings.multiplier * sample.median + 0.5))
    return StallLimit(days, basis, sample.median, sample.count)
