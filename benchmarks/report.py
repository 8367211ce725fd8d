"""The benchmark table: every figure with the baseline measured in the same run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One measured figure. `baseline` is measured in the same run, on the same machine;
    `ratio` is value / baseline (None when there is no baseline for this figure)."""

    section: str
    measure: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    note: str = ""


def ratio(value: float, baseline: float) -> float | None:
    return value / baseline if baseline else None


def table(rows: Iterable[Row]) -> str:
    """A Markdown table (it reads in a terminal and pastes into the README)."""
    header = ("section", "measure", "dealcoach", "baseline", "ratio", "note")
    lines = [
        (
            row.section,
            row.measure,
            row.value,
            row.baseline,
            "" if row.ratio is None else f"{row.ratio:.2f}x",
            row.note,
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def render(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([render(header), separator, *(render(cells) for cells in lines)])
