"""`import activities` from end to end, in bounded memory whatever the size of the file.

A first pass maps the columns and decides how the file writes dates (the deals
importer's LocaleScan). In one transaction, a second pass checks rows, links each to its
deal (activity_links) and saves them chunk by chunk (storage.activities: a re-import
updates, never doubles). Rows that can't be read are rejected with their line and
reasons; rows that read but match no deal are reported as not linked. The text of
each completed activity is read with the signal lexicon (coaching/evidence) and its
signals stored, replacing what an earlier import read from it. A meeting held with a
named stakeholder of the deal lifts that person's exposure from 1 (never met) to 2. Both go to the
--rejects file. Rejected rows (not unlinked ones) count against --max-rejects; past it
the transaction rolls back and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coaching.evidence.lexicon import Lexicon, LexiconError, load_lexicon
from coaching.evidence.model import Activity, Signal
from coaching.evidence.reading import read_activities
from storage.activities import SaveCounts, raise_exposure, save_activities, save_signals
from storage.db import Database
from storage.importers.activity_columns import (
    ActivityMapping,
    map_activity_columns,
    parse_activity_map,
)
from storage.importers.activity_links import DealLinker
from storage.importers.activity_rows import ActivityOutcome, ActivityRowParser
from storage.importers.csv_file import open_csv
from storage.importers.dates import check_date_format
from storage.importers.errors import ImportAborted
from storage.importers.file_locale import LocaleChoices, LocaleScan
from storage.importers.rejects import DEFAULT_MAX_REJECTS, RejectsFile, parse_max_rejects
from storage.importers.reporting import IssueLog, Progress, RowIssue, no_progress

CHUNK = 2000


@dataclass(frozen=True)
class ActivityImportOptions:
    """The choices `dealcoach import activities` offers."""

    preset: str = "auto"
    column_map: Sequence[str] = ()
    encoding: str | None = None
    timezone: str = "UTC"
    day_first: bool | None = None
    date_format: str | None = None
    max_rejects: str = DEFAULT_MAX_REJECTS
    rejects_path: Path | None = None
    lexicon_path: Path | None = None
    """A team's own phrases, added to the shipped signal lexicon."""
    text_reader: Callable[[Activity], list[Signal]] | None = None
    """A model's reading of each completed activity's text, added to the lexicon's
    (its quotes already checked verbatim: prompts.llm.ModelSignalReader)."""


@dataclass
class ActivityImportReport:
    """What an import read and did."""

    path: Path
    mapping: ActivityMapping
    encoding: str
    rows: int = 0
    footer_lines: int = 0
    reading: tuple[str, ...] = ()
    saved: SaveCounts = field(default_factory=SaveCounts)
    rejections: IssueLog = field(default_factory=IssueLog)
    unlinked: IssueLog = field(default_factory=IssueLog)
    linked_by: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    directions: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    unknown_types: Counter[str] = field(default_factory=Counter)
    signals: Counter[str] = field(default_factory=Counter)
    """Signals read from the texts of the activities saved, by kind."""
    exposure_raised: int = 0
    """Stakeholders met in a meeting held, whose exposure was below "met"."""


class TooManyActivityRejects(ImportAborted):
    """More rows were rejected than --max-rejects allows; nothing was written."""

    def __init__(self, report: ActivityImportReport, limit: str) -> None:
        super().__init__(
            f"{report.rejections.count:,} of {report.rows:,} rows were rejected, more than "
            f"--max-rejects {limit} allows; fix the rows or allow more (e.g. --max-rejects 50%)"
        )
        self.report = report


def import_activities(
    database: Database,
    path: Path,
    options: ActivityImportOptions,
    *,
    now: dt.datetime,
    progress: Progress = no_progress,
) -> ActivityImportReport:
    """Import a CRM activity export into `database` (see the module docstring)."""
    limit = parse_max_rejects(options.max_rejects)
    try:
        lexicon = load_lexicon(options.lexicon_path)
    except LexiconError as exc:
        raise ImportAborted(str(exc)) from None
    zone = _zone(options.timezone)
    try:
        date_format = check_date_format(options.date_format) if options.date_format else None
    except ValueError as exc:
        raise ImportAborted(f"--date-format: {exc}") from None
    csv_file = open_csv(path, options.encoding)
    mapping = map_activity_columns(
        csv_file.header, options.preset, parse_activity_map(options.column_map)
    )
    scan = LocaleScan(mapping.header, mapping.date_columns)
    for row in csv_file.rows():
        scan.observe(row)
    locale = scan.decide(LocaleChoices(options.day_first, date_format))
    report = ActivityImportReport(path, mapping, csv_file.encoding, reading=locale.notes)
    parser = ActivityRowParser(mapping, locale, zone=zone, now=now)
    with RejectsFile(options.rejects_path, mapping.header, several_files=False) as rejects:
        try:
            with database.transaction() as session:
                save = functools.partial(
                    _save,
                    session,
                    linker=DealLinker(session),
                    lexicon=lexicon,
                    text_reader=options.text_reader,
                    mapping=mapping,
                    report=report,
                    rejects=rejects,
                )
                chunk: list[ActivityOutcome] = []
                for row in csv_file.rows():
                    chunk.append(parser.parse(row))
                    if len(chunk) == CHUNK:
                        save(chunk)
                        progress("importing", report.rows, scan.rows)
                        chunk = []
                save(chunk)
                progress("importing", report.rows, scan.rows)
                report.footer_lines = csv_file.footer_lines
                if limit.exceeded(report.rejections.count, report.rows):
                    raise TooManyActivityRejects(report, str(limit))
        except IntegrityError as exc:
            raise ImportAborted(
                f"the database refused the import, so nothing was written ({exc.orig}); if "
                "another import was running at the same time, run this one again"
            ) from None
    return report


def _save(
    session: Session,
    outcomes: list[ActivityOutcome],
    *,
    linker: DealLinker,
    lexicon: Lexicon,
    text_reader: Callable[[Activity], list[Signal]] | None,
    mapping: ActivityMapping,
    report: ActivityImportReport,
    rejects: RejectsFile,
) -> None:

    activities: list[Activity] = []
    source = mapping.preset.source
    for outcome in outcomes:
        report.rows += 1
        record = outcome.record
        if outcome.skipped:
            report.skipped[outcome.skipped] += 1
            continue
        if record is None:
            issue = RowIssue(outcome.line, "; ".join(outcome.reasons), outcome.cells)
            report.rejections.add(issue)
            rejects.write(issue)
            continue
        linked = linker.link(record.link)
        if linked.deal_id is None:
            issue = RowIssue(outcome.line, f"not linked: {linked.reason}", outcome.cells)
            report.unlinked.add(issue)
            rejects.write(issue)
            continue
        report.linked_by[linked.how] += 1
        if outcome.unknown_type:
            report.unknown_types[outcome.unknown_type] += 1
        report.kinds[record.kind] += 1
        report.directions[record.direction] += 1
        activities.append(
            Activity(
                deal_id=linked.deal_id,
                kind=record.kind,
                status=record.status,
                occurred_at=record.occurred_at,
                subject=record.subject,
                body=record.body,
                contact_name=record.contact_name,
                contact_email=record.contact_email,
                direction=record.direction,
                source=source,
                source_ref=record.source_ref,
            )
        )
    counts = save_activities(session, activities)
    report.exposure_raised += raise_exposure(session, activities)
    signals = read_activities(lexicon, activities)
    if text_reader is not None:
        signals = _merged(signals, text_reader, activities)
    texts = [(a.kind, f"{a.source}:{a.source_ref}") for a in activities]
    save_signals(session, signals, read_from=texts)
    report.signals.update(signal.kind for signal in signals)
    report.saved.inserted += counts.inserted
    report.saved.updated += counts.updated
    report.saved.unchanged += counts.unchanged


def _merged(
    signals: list[Signal], reader: Callable[[Activity], list[Signal]], activities: list[Activity]
) -> list[Signal]:
    """The lexicon's signals and the reader's, once each (kind, text, quote)."""
    found = {(s.kind, s.source_ref, s.quote): s for s in signals}
    for activity in activities:
        if activity.status == "completed" and (activity.body or activity.subject):
            for signal in reader(activity):
                found.setdefault((signal.kind, signal.source_ref, signal.quote), signal)
    return list(found.values())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImportAborted(
            f"--timezone {name!r}: not a time zone; use a name such as Europe/Paris or UTC"
        ) from None
