"""Which columns feed which activity field: a preset (named or detected) plus --map.

A field may read several columns in order (see activity_presets); --map names one column
for a field and replaces the preset's choice. A file must say when (occurred_at or
meeting_start) and must give something to link a deal by (deal_id, deal_name or account).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storage.importers.activity_presets import (
    ACTIVITY_FIELDS,
    ACTIVITY_PRESETS,
    CUSTOM,
    ActivityPreset,
)
from storage.importers.errors import ImportAborted
from storage.importers.values import fold

IGNORE = "ignore"
PRESET_CHOICES = ("auto", *ACTIVITY_PRESETS)
_LINK_FIELDS = ("deal_id", "deal_name", "account")
_WHEN_FIELDS = ("occurred_at", "meeting_start")


@dataclass(frozen=True)
class ActivityMapping:
    """The chosen layout: field -> the column indexes it reads, first non-empty wins."""

    preset: ActivityPreset
    detected: bool
    header: tuple[str, ...]
    columns: Mapping[str, tuple[int, ...]]
    kind_hints: tuple[tuple[int, str], ...] = ()
    """(column, kind): a row with this column filled is of this kind."""

    @property
    def date_columns(self) -> list[int]:
        return sorted({i for name in _WHEN_FIELDS for i in self.columns.get(name, ())})

    @property
    def ignored(self) -> tuple[str, ...]:
        used = {index for indexes in self.columns.values() for index in indexes}
        return tuple(name for index, name in enumerate(self.header) if index not in used and name)


def parse_activity_map(options: Sequence[str]) -> dict[str, str]:
    """`--map "Source Column=field"` values as {column: field}; "ignore" drops a column."""
    overrides: dict[str, str] = {}
    for option in options:
        column, equals, target = (part.strip() for part in option.rpartition("="))
        if not equals or not column or not target:
            raise ImportAborted(
                f'--map {option!r}: write it as "Source Column=field", '
                'e.g. --map "Opportunity Number=deal_id"'
            )
        if target != IGNORE and target not in ACTIVITY_FIELDS:
            raise ImportAborted(
                f"--map {option!r}: {target!r} is not an activity field. The fields are:\n"
                + "\n".join(f"  {name}: {text}" for name, text in ACTIVITY_FIELDS.items())
                + f"\n  {IGNORE}: skip this column"
            )
        overrides[column] = target
    return overrides


def map_activity_columns(
    header: Sequence[str], preset_name: str, overrides: Mapping[str, str]
) -> ActivityMapping:
    """Resolve the layout of `header`, or raise ImportAborted saying how to map it."""
    header = tuple(header)
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(fold(name), index)
    if preset_name == "auto":
        preset = _detect(positions) or (CUSTOM if overrides else None)
        if preset is None:
            raise ImportAborted(
                "cannot tell which CRM exported this file; its columns are: "
                f"{_listing(header)}\nchoose a layout with --preset "
                f"({', '.join(ACTIVITY_PRESETS)}) or map the columns yourself, e.g. "
                '--map "Logged On=occurred_at" --map "Opportunity=deal_id"'
            )
    elif preset_name in ACTIVITY_PRESETS:
        preset = ACTIVITY_PRESETS[preset_name]
    else:
        raise ImportAborted(
            f"unknown preset {preset_name!r}: choose one of {', '.join(PRESET_CHOICES)}"
        )
    columns = _preset_columns(preset, positions)
    for column, target in overrides.items():
        found = positions.get(fold(column))
        if found is None:
            raise ImportAborted(
                f"--map: the file has no column {column!r}; its columns are: {_listing(header)}"
            )
        columns = {f: tuple(i for i in at if i != found) for f, at in columns.items()}
        if target != IGNORE:
            columns[target] = (found,)
    columns = {f: at for f, at in columns.items() if at}
    _check(preset, columns, header)
    hints = tuple(
        (positions[key], kind)
        for name, kind in preset.kind_hints.items()
        if (key := fold(name)) in positions
    )
    return ActivityMapping(preset, preset_name == "auto", header, columns, hints)


def _detect(positions: Mapping[str, int]) -> ActivityPreset | None:
    """The preset whose columns the header holds most of (at least a date and a link)."""
    best: ActivityPreset | None = None
    best_score = 1
    for preset in ACTIVITY_PRESETS.values():
        found = _preset_columns(preset, positions)
        usable = any(f in found for f in _WHEN_FIELDS) and any(f in found for f in _LINK_FIELDS)
        score = sum(len(at) for at in found.values())
        if usable and score > best_score:
            best, best_score = preset, score
    return best


def _preset_columns(
    preset: ActivityPreset, positions: Mapping[str, int]
) -> dict[str, tuple[int, ...]]:
    columns: dict[str, tuple[int, ...]] = {}
    taken: set[int] = set()
    for field, names in preset.columns.items():
        found = [positions[key] for name in names if (key := fold(name)) in positions]
        found = [index for index in dict.fromkeys(found) if index not in taken]
        if found:
            columns[field] = tuple(found)
            taken.update(found)
    return columns


def _check(
    preset: ActivityPreset, columns: Mapping[str, tuple[int, ...]], header: tuple[str, ...]
) -> None:
    def named(field: str) -> str:
        names = preset.columns.get(field, (field,))
        return " or ".join(repr(name) for name in names[:3])

    if not any(field in columns for field in _WHEN_FIELDS):
        raise ImportAborted(
            f"the file has no date column (the {preset.name} layout reads "
            f"{named('occurred_at')}); its columns are: {_listing(header)}\n"
            'name it, e.g. --map "Logged On=occurred_at"'
        )
    if not any(field in columns for field in _LINK_FIELDS):
        raise ImportAborted(
            "the file has no column to link activities to deals: a deal id "
            f"({named('deal_id')}), a deal name or an account ({named('account')}); "
            f"its columns are: {_listing(header)}\n"
            'add one to the export, or name it, e.g. --map "Opportunity Number=deal_id"'
        )


def _listing(header: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in header if name) or "(none)"
