"""Which column feeds which deal field: a preset (named or detected) plus --map overrides.

Deals are identified by their crm_id column; a file without one (a Salesforce report
that left out "Opportunity ID") is matched by a stable key built from the KEY_FIELDS it
has, which needs at least a name and a created date. HubSpot's "Date entered <stage>"
columns (also 'Date entered "Stage (Pipeline)"') give the date a deal entered the stage
it is in now.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from storage.importers.errors import ImportAborted
from storage.importers.presets import (
    CUSTOM,
    DEAL_FIELDS,
    KEY_FIELDS,
    PRESETS,
    REQUIRED_FIELDS,
    Preset,
)
from storage.importers.values import fold

_DATE_ENTERED = re.compile(r"date\s+entered\s+(?P<stage>.+?)\s*$", re.IGNORECASE)
_PIPELINE_SUFFIX = re.compile(r"^(?P<stage>.*?)\s*\((?P<pipeline>[^()]*)\)$")

IGNORE = "ignore"
PRESET_CHOICES = ("auto", *PRESETS)


@dataclass(frozen=True)
class ColumnMapping:
    """The chosen layout: field -> column index, and the header names left unused."""

    preset: Preset
    detected: bool
    header: tuple[str, ...]
    columns: Mapping[str, int]
    entered: Mapping[tuple[str, str], int]
    """(folded stage, folded pipeline or "") -> the column of its "Date entered" dates."""

    def column_name(self, field: str) -> str:
        return self.header[self.columns[field]]

    @property
    def identity(self) -> Literal["crm_id", "key"]:
        return "crm_id" if "crm_id" in self.columns else "key"

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The fields a stable key is built from (only when the file has no id column)."""
        if self.identity == "crm_id":
            return ()
        return tuple(name for name in KEY_FIELDS if name in self.columns)

    def entered_column(self, stage: str, pipeline: str | None) -> int | None:
        """The "Date entered" column of this stage (in this pipeline, when the file says)."""
        stage_key = fold(stage)
        found = self.entered.get((stage_key, fold(pipeline or "")))
        return found if found is not None else self.entered.get((stage_key, ""))

    @property
    def ignored(self) -> tuple[str, ...]:
        used = set(self.columns.values()) | set(self.entered.values())
        return tuple(name for index, name in enumerate(self.header) if index not in used and name)


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """`--map "Source Column=field"` values as {column: field}; "ignore" drops a column."""
    overrides: dict[str, str] = {}
    for option in options:
        column, equals, target = (part.strip() for part in option.rpartition("="))
        if not equals or not column or not target:
            raise ImportAborted(
                f'--map {option!r}: write it as "Source Column=field", '
                'e.g. --map "Deal Number=crm_id"'
            )
        if target != IGNORE and target not in DEAL_FIELDS:
            raise ImportAborted(
                f"--map {option!r}: {target!r} is not a field. The fields are:\n"
                + "\n".join(f"  {name}: {help_text}" for name, help_text in DEAL_FIELDS.items())
                + f"\n  {IGNORE}: skip this column"
            )
        overrides[column] = target
    repeated = [target for target, count in Counter(overrides.values()).items() if count > 1]
    if repeated and repeated != [IGNORE]:
        field = next(target for target in repeated if target != IGNORE)
        raise ImportAborted(f"--map gives {field} more than one column: keep one of them")
    return overrides


def map_columns(
    header: Sequence[str], preset_name: str, overrides: Mapping[str, str]
) -> ColumnMapping:
    """Resolve the layout of `header`, or raise ImportAborted saying how to map it."""
    header = tuple(header)
    positions = _positions(header)
    if preset_name == "auto":
        preset = _detect(positions, set(overrides.values()))
        if preset is None:
            raise ImportAborted(
                "cannot tell which CRM exported this file; its columns are: "
                f"{_listing(header)}\n"
                f"choose a layout with --preset ({', '.join(PRESETS)}) or map the columns "
                'yourself, e.g. --map "Deal Number=crm_id" --map "Phase=stage"'
            )
    elif preset_name in PRESETS:
        preset = PRESETS[preset_name]
    else:
        raise ImportAborted(
            f"unknown preset {preset_name!r}: choose one of {', '.join(PRESET_CHOICES)}"
        )
    columns = _preset_columns(preset, positions)
    for column, target in overrides.items():
        index = _override_position(column, positions, header)
        columns = {field: at for field, at in columns.items() if at != index}
        if target != IGNORE:
            columns[target] = index
    _check_required(preset, columns, header)
    _check_identity(preset, columns, header)
    _check_unambiguous(columns, header)
    entered = _entered_columns(header, set(columns.values()))
    return ColumnMapping(preset, preset_name == "auto", header, columns, entered)


def _entered_columns(header: tuple[str, ...], used: set[int]) -> dict[tuple[str, str], int]:
    """HubSpot's "Date entered <stage>" columns, by (stage, pipeline) folded."""
    entered: dict[tuple[str, str], int] = {}
    for index, name in enumerate(header):
        match = _DATE_ENTERED.fullmatch(name)
        if index in used or match is None:
            continue
        label = match.group("stage").strip().strip("'\"").strip()
        pipeline = ""
        if suffix := _PIPELINE_SUFFIX.fullmatch(label):
            label, pipeline = suffix.group("stage"), suffix.group("pipeline")
        entered.setdefault((fold(label), fold(pipeline)), index)
    return entered


def _positions(header: tuple[str, ...]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if key := fold(name):
            positions.setdefault(key, []).append(index)
    return positions


def _detect(positions: Mapping[str, list[int]], mapped_fields: set[str]) -> Preset | None:
    """The preset matching most columns, among those that find an id or a name and a stage."""
    best: Preset | None = None
    best_score = 1
    for preset in PRESETS.values():
        found = set(_preset_columns(preset, positions))
        named = found | mapped_fields
        identified = "crm_id" in named or {"name", "stage"} <= named
        if identified and len(found) > best_score:
            best, best_score = preset, len(found)
    if best is None and "crm_id" in mapped_fields:
        return CUSTOM
    return best


def _preset_columns(preset: Preset, positions: Mapping[str, list[int]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for field, names in preset.columns.items():
        index = next(
            (positions[key][0] for name in names if (key := fold(name)) in positions), None
        )
        if index is not None:
            columns[field] = index
    return columns


def _override_position(
    column: str, positions: Mapping[str, list[int]], header: tuple[str, ...]
) -> int:
    found = positions.get(fold(column))
    if not found:
        raise ImportAborted(
            f"--map: the file has no column {column!r}; its columns are: {_listing(header)}"
        )
    return found[0]


def _check_required(preset: Preset, columns: Mapping[str, int], header: tuple[str, ...]) -> None:
    missing = [field for field in REQUIRED_FIELDS if field not in columns]
    if not missing:
        return
    expected = "; ".join(
        f"{field} from {' or '.join(repr(name) for name in preset.columns[field])}"
        for field in missing
        if field in preset.columns
    )
    raise ImportAborted(
        f"the file has no column for {', '.join(missing)}"
        + (f" (the {preset.name} layout takes {expected})" if expected else "")
        + f"; its columns are: {_listing(header)}\n"
        f'name the columns to use, e.g. --map "Your Column={missing[0]}"'
    )


def _check_identity(preset: Preset, columns: Mapping[str, int], header: tuple[str, ...]) -> None:
    """An id column, or the columns a stable key needs; else say which to add."""
    if "crm_id" in columns or {"name", "created_on"} <= set(columns):
        return
    wanted = {field: preset.columns.get(field, (field,))[0] for field in ("crm_id", "name")}
    created = preset.columns.get("created_on", ("created_on",))[0]
    raise ImportAborted(
        f"the file has no id column for its deals: add {wanted['crm_id']!r} to the export "
        "and export it again (best: deals then match exactly), or include "
        f"{wanted['name']!r} and {created!r} so deals can match by a stable key; "
        f"its columns are: {_listing(header)}\n"
        'a column with another name can be named, e.g. --map "Deal Number=crm_id"'
    )


def _check_unambiguous(columns: Mapping[str, int], header: tuple[str, ...]) -> None:
    keys = Counter(fold(name) for name in header)
    for field, index in columns.items():
        if keys[fold(header[index])] > 1:
            raise ImportAborted(
                f"the column {header[index]!r} (for {field}) appears more than once in the "
                "header: rename or remove the extra one"
            )


def _listing(header: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in header if name) or "(none)"
