"""Rejected rows: the limit past which an import is refused, and the --rejects file.

The rejects file is written as the import runs, so it holds every rejected row however
many there are, and it is complete even when the import is refused for having too many.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import IO

from storage.importers.errors import ImportAborted
from storage.importers.reporting import RowIssue

DEFAULT_MAX_REJECTS = "10%"


@dataclass(frozen=True, slots=True)
class RejectLimit:
    """At most `value` rejected rows, or `value` percent of the rows when `percent`."""

    value: Decimal
    percent: bool

    def exceeded(self, rejected: int, rows: int) -> bool:
        if self.percent:
            return rejected * 100 > self.value * rows
        return rejected > self.value

    def __str__(self) -> str:
        return f"{self.value.normalize():f}" + ("%" if self.percent else "")


def parse_max_rejects(text: str) -> RejectLimit:
    """`--max-rejects 50` (rows) or `--max-rejects 5%` (of the rows read)."""
    number = text.strip().removesuffix("%").strip()
    try:
        value = Decimal(number)
    except InvalidOperation:
        value = Decimal(-1)
    percent = text.strip().endswith("%")
    if not value.is_finite() or value < 0 or (percent and value > 100):
        raise ImportAborted(
            f"--max-rejects {text!r}: give a number of rows (e.g. 50) or a percentage of the "
            "rows (e.g. 10%)"
        )
    if not percent and value != value.to_integral_value():
        raise ImportAborted(f"--max-rejects {text!r}: a number of rows is a whole number")
    return RejectLimit(value, percent)


class RejectsFile:
    """The --rejects CSV: line, reason and the row's own cells (and its file, for several)."""

    def __init__(self, path: Path | None, header: Sequence[str], several_files: bool) -> None:
        self._path = path
        self._handle: IO[str] | None = None
        self._several = several_files
        self._header = header

    def __enter__(self) -> RejectsFile:
        if self._path is None:
            return self
        if not self._path.parent.is_dir():
            raise ImportAborted(
                f"--rejects {self._path}: the folder {self._path.parent} does not exist"
            )
        try:
            self._handle = self._path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ImportAborted(
                f"--rejects {self._path}: cannot write it ({exc.strerror})"
            ) from None
        self._writer = csv.writer(self._handle)
        self._writer.writerow(["file"] * self._several + ["line", "reason", *self._header])
        return self

    def write(self, issue: RowIssue) -> None:
        if self._handle is not None:
            self._writer.writerow(
                [issue.file] * self._several + [issue.line, issue.reason, *issue.cells]
            )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.close()
