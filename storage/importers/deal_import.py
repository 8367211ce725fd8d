"""`import deals` from end to end: read, map, check, optionally shift dates, upsert.

All good rows are written in one transaction; when the file or the options cannot
be used, ImportAborted is raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.importers.column_mapping import map_columns, parse_map_options
from storage.importers.csv_file import read_csv
from storage.importers.deal_rows import parse_deal_rows, shift_dates
from storage.importers.deal_upsert import upsert_deals
from storage.importers.errors import ImportAborted
from storage.importers.presets import Preset
from storage.importers.reporting import Progress, RowIssue, no_progress
from storage.importers.values import parse_currency


@dataclass(frozen=True)
class DealImportOptions:
    """The choices `dealcoach import deals` offers."""

    preset: str = "auto"
    column_map: Sequence[str] = ()
    encoding: str | None = None
    currency: str = "USD"
    shift_dates_to_today: bool = False
    default_timezone: str = "UTC"


@dataclass(frozen=True)
class DealImportReport:
    """What an import read and did."""

    preset: Preset
    preset_detected: bool
    encoding: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    events: int
    rejections: list[RowIssue]
    warnings: list[RowIssue]
    people_created: list[str]
    ignored_columns: tuple[str, ...]
    header: tuple[str, ...]
    footer_lines: int = 0
    date_shift_days: int | None = None


def import_deals(
    database: Database,
    path: Path,
    options: DealImportOptions,
    *,
    now: dt.datetime,
    progress: Progress = no_progress,
) -> DealImportReport:
    """Import a CRM deals export into `database`; raises ImportAborted if unusable."""
    overrides = parse_map_options(options.column_map)
    try:
        currency = parse_currency(options.currency)
    except ValueError as exc:
        raise ImportAborted(f"--currency: {exc}") from None
    table = read_csv(path, options.encoding)
    mapping = map_columns(table.header, options.preset, overrides)
    parsed = parse_deal_rows(table, mapping, default_currency=currency, progress=progress)
    shift_days = None
    if options.shift_dates_to_today:
        records, shift_days = shift_dates(parsed.records, now.date())
        parsed = replace(parsed, records=records)
    try:
        with database.transaction() as session:
            result = upsert_deals(
                session,
                parsed,
                now=now,
                default_timezone=options.default_timezone,
                progress=progress,
            )
    except IntegrityError as exc:
        raise ImportAborted(
            f"the database refused the import, so nothing was written ({exc.orig}); if "
            "another import was running at the same time, run this one again"
        ) from None
    return DealImportReport(
        preset=mapping.preset,
        preset_detected=mapping.detected,
        encoding=table.encoding,
        rows=len(table.rows),
        inserted=result.inserted,
        updated=result.updated,
        unchanged=result.unchanged,
        events=result.events,
        rejections=parsed.rejections,
        warnings=parsed.warnings,
        people_created=result.people_created,
        ignored_columns=mapping.ignored,
        header=table.header,
        footer_lines=table.footer_lines,
        date_shift_days=shift_days,
    )
