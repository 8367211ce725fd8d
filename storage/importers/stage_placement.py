"""Where a deal's stage sits: early, middle or late (or won, lost), from what the file says.

The playbook groups the stage names it knows. A stage map adds a team's own stages, for
every pipeline or for one ("Verbal Commit=late", "Enterprise: Evaluation=middle"), and
can name closing stages ("Signed=won"). A forecast category listed in
stage_signals.yaml places a deal whatever its stage name (a Commit deal is late). For
a stage neither knows, the deal's probability places it by the bands in that file;
without one it falls to the playbook's default group, and the import lists the stage.

A placement that differs from what the playbook would say is stored with the deal
(`stage_group`); otherwise the playbook keeps deciding, so a new playbook applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from coaching.playbook import Playbook, normalize_stage
from storage.importers.errors import ImportAborted

GROUPS = ("early", "middle", "late")
OUTCOMES = ("won", "lost")
TARGETS = (*GROUPS, *OUTCOMES)
SIGNALS_FILE = Path(__file__).with_name("stage_signals.yaml")
Basis = Literal["map", "forecast", "playbook", "probability", "default"]


@dataclass(frozen=True, slots=True)
class StageRule:
    """One entry of a stage map: in `pipeline` ("" for all), `stage` goes to `target`."""

    pipeline: str
    stage: str
    target: str

    @property
    def key(self) -> tuple[str, str]:
        return normalize_stage(self.pipeline), normalize_stage(self.stage)


@dataclass(frozen=True, slots=True)
class Placement:
    """A deal's stage group to store (None: the playbook decides), its outcome if the map
    names one, how it was decided, and whether the playbook or the map knows the stage."""

    group: str | None
    outcome: str | None
    basis: Basis
    known: bool


@dataclass(frozen=True)
class StageSignals:
    """Forecast categories that place a deal, and probability bands for unknown stages."""

    forecast_groups: Mapping[str, str]
    probability_bands: Sequence[tuple[int, str]]

    def by_probability(self, probability: int) -> str:
        return next(group for floor, group in self.probability_bands if probability >= floor)


def load_stage_signals(path: Path = SIGNALS_FILE) -> StageSignals:
    """The shipped stage_signals.yaml (forecast categories and probability bands)."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    forecast = {normalize_stage(name): group for name, group in raw["forecast_categories"].items()}
    bands = sorted(
        ((int(floor), group) for group, floor in raw["probability"].items()), reverse=True
    )
    for group in [*forecast.values(), *(group for _, group in bands)]:
        if group not in GROUPS:
            raise ValueError(f"{path}: {group!r} is not a stage group ({', '.join(GROUPS)})")
    return StageSignals(forecast, [*bands, (0, "early")])


def parse_stage_map_options(options: Sequence[str]) -> list[StageRule]:
    """`--stage-map "Verbal Commit=late"` or `--stage-map "Enterprise: Evaluation=middle"`."""
    rules = []
    for option in options:
        left, equals, target = (part.strip() for part in option.rpartition("="))
        pipeline, colon, stage = (part.strip() for part in left.rpartition(":"))
        if not equals or not stage or (colon and not pipeline):
            raise ImportAborted(
                f'--stage-map {option!r}: write it as "Stage=group" or "Pipeline: Stage=group", '
                'e.g. --stage-map "Verbal Commit=late"'
            )
        rules.append(_rule(pipeline, stage, target, f"--stage-map {option!r}"))
    return rules


def read_stage_map_file(path: Path) -> list[StageRule]:
    """A YAML stage map: `stages: {Stage: group}` and `pipelines: {Name: {Stage: group}}`."""
    where = f"--stage-map-file {path}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ImportAborted(f"{where}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ImportAborted(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or set(raw) - {"stages", "pipelines"}:
        raise ImportAborted(
            f"{where}: write it as `stages:` (stage: group, for every pipeline) and "
            "`pipelines:` (pipeline: {stage: group}); groups are " + ", ".join(TARGETS)
        )
    sections = [("", raw.get("stages") or {})]
    pipelines = raw.get("pipelines") or {}
    if not isinstance(pipelines, dict):
        raise ImportAborted(f"{where}: `pipelines:` must map pipeline names to stages")
    sections += [(str(name), stages or {}) for name, stages in pipelines.items()]
    rules = []
    for pipeline, stages in sections:
        if not isinstance(stages, dict):
            raise ImportAborted(f"{where}: {pipeline or 'stages'} must map stage names to groups")
        rules += [
            _rule(pipeline, str(stage), str(target), where) for stage, target in stages.items()
        ]
    return rules


def _rule(pipeline: str, stage: str, target: str, where: str) -> StageRule:
    if target.lower() not in TARGETS:
        raise ImportAborted(f"{where}: {target!r} is not one of {', '.join(TARGETS)}")
    return StageRule(pipeline, stage, target.lower())


class StagePlacer:
    """Places deals by the stage map, the forecast category, the playbook, the probability."""

    def __init__(self, playbook: Playbook, rules: Iterable[StageRule], signals: StageSignals):
        self._known = {
            normalize_stage(stage): group
            for group in GROUPS
            for stage in getattr(playbook.stage_groups, group)
        }
        self._rules = {rule.key: rule.target for rule in rules}
        self._signals = signals
        self._placed: dict[tuple[str, str | None, str | None, int | None], Placement] = {}

    def place(
        self,
        stage: str,
        pipeline: str | None,
        forecast_category: str | None,
        probability: int | None,
    ) -> Placement:
        """Where a deal with these values sits (remembered: the combinations are few)."""
        key = (stage, pipeline, forecast_category, probability)
        if key not in self._placed:
            self._placed[key] = self._place(*key)
        return self._placed[key]

    def _place(
        self,
        stage: str,
        pipeline: str | None,
        forecast_category: str | None,
        probability: int | None,
    ) -> Placement:
        target = self._mapped(stage, pipeline)
        known = target is not None or self._playbook_group(stage) is not None
        if target in OUTCOMES:
            return Placement(None, target, "map", known)
        forecast = self._signals.forecast_groups.get(normalize_stage(forecast_category or ""))
        if forecast is not None:
            return Placement(forecast, None, "forecast", known)
        if target is not None:
            return Placement(target, None, "map", known)
        if known:
            return Placement(None, None, "playbook", known)
        if probability is not None:
            return Placement(self._signals.by_probability(probability), None, "probability", known)
        return Placement(None, None, "default", known)

    def _mapped(self, stage: str, pipeline: str | None) -> str | None:
        pipeline_key = normalize_stage(pipeline or "")
        for name in _names(stage):
            for key in ((pipeline_key, name), ("", name)):
                if key in self._rules:
                    return self._rules[key]
        return None

    def _playbook_group(self, stage: str) -> str | None:
        return next((self._known[name] for name in _names(stage) if name in self._known), None)


def _names(stage: str) -> list[str]:
    """The stage's key, and its key without a "(Pipeline)" suffix as HubSpot adds."""
    names = [normalize_stage(stage)]
    if stage.endswith(")") and "(" in stage:
        names.append(normalize_stage(stage[: stage.rindex("(")]))
    return names
