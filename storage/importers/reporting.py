"""What an import tells its caller: rows it rejected or flagged, and progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Progress = Callable[[str, int, int], None]
"""Called as progress(phase, done, total) while a phase ("checking", "writing") runs."""

KEPT = 100


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A rejected or flagged row: its first line in the file, why, and its cells.

    `file` names the file when one import reads several.
    """

    line: int
    reason: str
    cells: tuple[str, ...] = ()
    file: str = ""

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}" if self.file else f"line {self.line}"


@dataclass
class IssueLog:
    """Issues counted in full, the first KEPT of them kept (a big file stays small)."""

    count: int = 0
    first: list[RowIssue] = field(default_factory=list)

    def add(self, issue: RowIssue) -> None:
        self.count += 1
        if len(self.first) < KEPT:
            self.first.append(issue)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[RowIssue]:
        return iter(self.first)


def no_progress(phase: str, done: int, total: int) -> None:
    """The default Progress: report nothing."""
