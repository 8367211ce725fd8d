"""What an import tells its caller: rows it rejected or flagged, and progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[str, int, int], None]
"""Called as progress(phase, done, total) while a phase ("checking", "writing") runs."""


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A rejected or flagged row: its first line in the file, why, and its cells."""

    line: int
    reason: str
    cells: tuple[str, ...] = ()


def no_progress(phase: str, done: int, total: int) -> None:
    """The default Progress: report nothing."""
