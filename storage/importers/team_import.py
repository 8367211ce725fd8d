"""`import team` from end to end: read, check, upsert the people in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.db import Database
from storage.importers.csv_file import read_csv
from storage.importers.reporting import RowIssue
from storage.importers.team_rows import parse_team_rows
from storage.importers.team_upsert import upsert_team


@dataclass(frozen=True)
class TeamImportReport:
    """What a team import read and did."""

    encoding: str
    rows: int
    reps_created: list[str]
    managers_created: list[str]
    updated: int
    unchanged: int
    rejections: list[RowIssue]
    header: tuple[str, ...]


def import_team(
    database: Database, path: Path, *, encoding: str | None, default_timezone: str
) -> TeamImportReport:
    """Import reps, managers and regions; raises ImportAborted if the file is unusable."""
    table = read_csv(path, encoding)
    parsed = parse_team_rows(table)
    with database.transaction() as session:
        result = upsert_team(session, parsed, default_timezone=default_timezone)
    return TeamImportReport(
        encoding=table.encoding,
        rows=len(table.rows),
        reps_created=result.reps_created,
        managers_created=result.managers_created,
        updated=result.updated,
        unchanged=result.unchanged,
        rejections=parsed.rejections,
        header=table.header,
    )
