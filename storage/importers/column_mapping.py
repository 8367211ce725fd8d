"""Which column feeds which deal field: a preset (named or detected) plus --map overrides."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storage.importers.errors import ImportAborted
from storage.importers.presets import CUSTOM, DEAL_FIELDS, PRESETS, REQUIRED_FIELDS, Preset
from storage.importers.values import fold

IGNORE = "ignore"
PRESET_CHOICES = ("auto", *PRESETS)


@dataclass(frozen=True)
class ColumnMapping:
    """The chosen layout: field -> column index, and the header names left unused."""

    preset: Preset
    detected: bool
    header: tuple[str, ...]
    columns: Mapping[str, int]

    def column_name(self, field: str) -> str:
        return self.header[self.columns[field]]

    @property
    def ignored(self) -> tuple[str, ...]:
        used = set(self.columns.values())
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
    _check_unambiguous(columns, header)
    return ColumnMapping(preset, preset_name == "auto", header, columns)


def _positions(header: tuple[str, ...]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if key := fold(name):
            positions.setdefault(key, []).append(index)
    return positions


def _detect(positions: Mapping[str, list[int]], mapped_fields: set[str]) -> Preset | None:
    """The preset matching most columns, among those that find a crm_id column."""
    best: Preset | None = None
    best_score = 1
    for preset in PRESETS.values():
        found = set(_preset_columns(preset, positions))
        if "crm_id" in found | mapped_fields and len(found) > best_score:
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
