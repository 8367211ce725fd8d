"""`import deals` from end to end, in bounded memory whatever the size of the files.

1. Every file is opened and its columns mapped; a first pass over its rows decides how
   it writes dates, amounts and probabilities (file_locale). With
   --shift-dates-to-today, one offset is computed over every file imported together.
2. In one transaction, a second pass checks rows and writes them chunk by chunk; what
   must be remembered across chunks lives in a temporary table (import_staging).
3. A full snapshot then closes, as missing from the CRM, the open deals no file listed.

When the files or the options cannot be used, ImportAborted is raised before anything
is written. When more rows are rejected than --max-rejects allows, TooManyRejects is
raised and the transaction rolls back: nothing is written, the rejects are reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coaching.playbook import Playbook, load_playbook
from storage.db import Database
from storage.importers.column_mapping import ColumnMapping, map_columns, parse_map_options
from storage.importers.csv_file import CsvFile, open_csv
from storage.importers.dates import check_date_format
from storage.importers.deal_rows import DealRecord, DealRowParser, RowOutcome
from storage.importers.deal_upsert import DealWriter
from storage.importers.errors import ImportAborted
from storage.importers.file_locale import FileLocale, LocaleChoices, LocaleScan, newest_date
from storage.importers.hygiene import Hygiene, SharedName
from storage.importers.import_staging import ImportStaging, Place, Seen
from storage.importers.money import DecimalMark, parse_currency
from storage.importers.presets import Preset
from storage.importers.rejects import (
    DEFAULT_MAX_REJECTS,
    RejectLimit,
    RejectsFile,
    parse_max_rejects,
)
from storage.importers.reporting import IssueLog, Progress, RowIssue, no_progress
from storage.importers.stage_map_store import save_stage_rules, stored_stage_rules
from storage.importers.stage_placement import (
    StagePlacer,
    StageRule,
    load_stage_signals,
    parse_stage_map_options,
    read_stage_map_file,
)

CHUNK = 2000
SHOWN_PLACES = 10


@dataclass(frozen=True)
class DealImportOptions:
    """The choices `dealcoach import deals` offers."""

    preset: str = "auto"
    column_map: Sequence[str] = ()
    encoding: str | None = None
    currency: str = "USD"
    shift_dates_to_today: bool = False
    default_timezone: str = "UTC"
    day_first: bool | None = None
    date_format: str | None = None
    decimal_mark: DecimalMark | None = None
    stage_map: Sequence[str] = ()
    stage_map_file: Path | None = None
    full_snapshot: bool = False
    max_rejects: str = DEFAULT_MAX_REJECTS
    rejects_path: Path | None = None


@dataclass(frozen=True)
class FileSummary:
    """How one file was read."""

    path: Path
    preset: Preset
    preset_detected: bool
    encoding: str
    header: tuple[str, ...]
    rows: int
    footer_lines: int
    total_rows: int
    ignored_columns: tuple[str, ...]
    key_columns: tuple[str, ...]
    """The columns a stable key is built from; empty when the file has an id column."""
    reading: tuple[str, ...]


@dataclass
class UnknownStage:
    """An open deal's stage that neither the playbook nor the stage map knows."""

    stage: str
    pipeline: str
    rows: int = 0
    places: list[str] = field(default_factory=list)
    groups: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class DealImportReport:
    """What an import read and did."""

    files: list[FileSummary]
    inserted: int
    updated: int
    unchanged: int
    events: int
    closed_missing: int
    rejections: IssueLog
    hygiene: Hygiene
    unknown_stages: list[UnknownStage]
    unplaced_owners: list[tuple[str, int]]
    people_created: list[str]
    stage_rules_saved: int
    max_rejects: RejectLimit
    full_snapshot: bool = False
    date_shift_days: int | None = None

    @property
    def rows(self) -> int:
        """Data rows read, report total rows and footers aside."""
        return sum(file.rows - file.total_rows for file in self.files)


class TooManyRejects(ImportAborted):
    """More rows were rejected than --max-rejects allows; nothing was written."""

    def __init__(self, report: DealImportReport) -> None:
        super().__init__(
            f"{report.rejections.count:,} of {report.rows:,} rows were rejected, more than "
            f"--max-rejects {report.max_rejects} allows; fix the rows or allow more "
            "(e.g. --max-rejects 50%)"
        )
        self.report = report


@dataclass
class _File:
    """One file ready for the second pass."""

    csv: CsvFile
    mapping: ColumnMapping
    locale: FileLocale
    rows: int
    label: str


@dataclass(frozen=True)
class _Plan:
    files: list[_File]
    rules: list[StageRule]
    currency: str
    max_rejects: RejectLimit
    shift: dt.timedelta | None


def import_deals(
    database: Database,
    paths: Path | Sequence[Path],
    options: DealImportOptions,
    *,
    now: dt.datetime,
    playbook: Playbook | None = None,
    progress: Progress = no_progress,
) -> DealImportReport:
    """Import CRM deal exports into `database` (see the module docstring)."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    plan = _plan(paths, options, now.date())
    header = plan.files[0].csv.header if len({f.csv.header for f in plan.files}) == 1 else ()
    with RejectsFile(options.rejects_path, header, len(plan.files) > 1) as rejects:
        try:
            with database.transaction() as session:
                run = _Run(
                    session,
                    plan=plan,
                    options=options,
                    now=now,
                    playbook=playbook or load_playbook(),
                    rejects=rejects,
                )
                report = run.import_all(progress)
                if report.max_rejects.exceeded(report.rejections.count, report.rows):
                    raise TooManyRejects(report)
        except IntegrityError as exc:
            raise ImportAborted(
                f"the database refused the import, so nothing was written ({exc.orig}); if "
                "another import was running at the same time, run this one again"
            ) from None
    return report


def _plan(paths: list[Path], options: DealImportOptions, today: dt.date) -> _Plan:
    """Everything decided before a write: mappings, locales, stage rules, the shift."""
    overrides = parse_map_options(options.column_map)
    try:
        currency = parse_currency(options.currency)
        date_format = check_date_format(options.date_format) if options.date_format else None
    except ValueError as exc:
        option = "--date-format" if options.date_format else "--currency"
        raise ImportAborted(f"{option}: {exc}") from None
    rules = read_stage_map_file(options.stage_map_file) if options.stage_map_file else []
    rules += parse_stage_map_options(options.stage_map)
    limit = parse_max_rejects(options.max_rejects)
    choices = LocaleChoices(options.day_first, date_format, options.decimal_mark)
    several = len(paths) > 1
    files = [_prepare(path, options, overrides, choices, several) for path in paths]
    shift = None
    if options.shift_dates_to_today:
        newest = [
            day for file in files if (day := newest_date(file.csv, file.mapping, file.locale))
        ]
        shift = today - max(newest) if newest else dt.timedelta(0)
    return _Plan(files, rules, currency, limit, shift)


def _prepare(
    path: Path,
    options: DealImportOptions,
    overrides: dict[str, str],
    choices: LocaleChoices,
    several: bool,
) -> _File:
    """Open and map one file, and read it once to decide its locale."""
    try:
        csv_file = open_csv(path, options.encoding)
        mapping = map_columns(csv_file.header, options.preset, overrides)
        scan = LocaleScan.for_deals(mapping)
        for row in csv_file.rows():
            scan.observe(row)
        locale = scan.decide(choices)
    except ImportAborted as exc:
        if several:
            raise ImportAborted(f"{path}: {exc}") from None
        raise
    return _File(csv_file, mapping, locale, scan.rows, path.name if several else "")


class _Run:
    """The second pass: every file's rows checked and written, chunk by chunk."""

    def __init__(
        self,
        session: Session,
        *,
        plan: _Plan,
        options: DealImportOptions,
        now: dt.datetime,
        playbook: Playbook,
        rejects: RejectsFile,
    ) -> None:
        self.session = session
        self.plan = plan
        self.options = options
        self.now = now
        self.rejects = rejects
        self.stage_rules_saved = save_stage_rules(session, plan.rules, now)
        rules = stored_stage_rules(session)
        self.placer = StagePlacer(playbook, rules, load_stage_signals())
        self.staging = ImportStaging(session)
        self.writer = DealWriter(
            session,
            now=now,
            default_timezone=options.default_timezone,
            history=plan.shift is None,
        )
        self.rejections = IssueLog()
        self.hygiene = Hygiene()
        self.unknown: dict[tuple[str, str], UnknownStage] = {}
        self.totals: Counter[int] = Counter()

    def import_all(self, progress: Progress) -> DealImportReport:
        total = sum(file.rows for file in self.plan.files)
        done = 0
        for number, file in enumerate(self.plan.files):
            parser = DealRowParser(
                file.mapping,
                file.locale,
                self.placer,
                default_currency=self.plan.currency,
                shift=self.plan.shift or dt.timedelta(0),
            )
            chunk: list[RowOutcome] = []
            for row in file.csv.rows():
                chunk.append(parser.parse(row))
                if len(chunk) == CHUNK:
                    done += self._flush(chunk, number)
                    progress("importing", done, total)
                    chunk = []
            done += self._flush(chunk, number)
            progress("importing", done, total)
        if self.options.full_snapshot:
            self.writer.close_missing(self.staging)
        count, shared = self.staging.shared_names()
        self.hygiene.shared_name_count = count
        self.hygiene.shared_names = [
            SharedName(name, tuple(self._where(place) for place in places[:SHOWN_PLACES]))
            for name, places in shared
        ]
        self.staging.drop()
        return self._report()

    def _flush(self, outcomes: list[RowOutcome], number: int) -> int:
        """Check one chunk for identities seen before, then write its good records."""
        earlier = self.staging.earlier([o.identity for o in outcomes if o.identity])
        first: dict[str, Place] = {}
        seen: list[Seen] = []
        records: list[DealRecord] = []
        for outcome in outcomes:
            if outcome.total_row:
                self.totals[number] += 1
                continue
            place = Place(number, outcome.line)
            reasons = list(outcome.reasons)
            if outcome.identity:
                before = earlier.get(outcome.identity) or first.get(outcome.identity)
                if before is not None:
                    reasons.append(self._duplicate(outcome.identity, before))
                else:
                    first[outcome.identity] = place
                    seen.append(Seen(outcome.identity, place, _shared_name(outcome.record)))
            if reasons or outcome.record is None:
                self._reject(RowIssue(outcome.line, "; ".join(reasons), outcome.cells), number)
                continue
            records.append(outcome.record)
            self._observe(outcome.record, place)
        self.staging.remember(seen)
        self.writer.write(records)
        return len(outcomes)

    def _duplicate(self, identity: str, before: Place) -> str:
        where = self._where(before)
        if identity.startswith("key:"):
            return (
                f"the same deal as {where}: same name, created date, account and owner, and "
                "no id column to tell them apart"
            )
        return f"crm_id {identity!r} already appears on {where}"

    def _reject(self, issue: RowIssue, number: int) -> None:
        label = self.plan.files[number].label
        issue = RowIssue(issue.line, issue.reason, issue.cells, label)
        self.rejections.add(issue)
        self.rejects.write(issue)

    def _observe(self, record: DealRecord, place: Place) -> None:
        where = self._where(place)
        self.hygiene.observe(record, where)
        values = record.values
        if values["status"] != "open" or record.placement.known:
            return
        pipeline = values.get("pipeline") or ""
        key = (values["stage"], pipeline)
        stage = self.unknown.setdefault(key, UnknownStage(values["stage"], pipeline))
        stage.rows += 1
        stage.groups[record.placement.group or "default"] += 1
        if len(stage.places) < SHOWN_PLACES:
            stage.places.append(where)

    def _where(self, place: Place) -> str:
        label = self.plan.files[place.file].label
        return f"{label} line {place.line}" if label else f"line {place.line}"

    def _report(self) -> DealImportReport:
        result = self.writer.result
        shift = self.plan.shift
        return DealImportReport(
            files=[self._summary(number, file) for number, file in enumerate(self.plan.files)],
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
            events=result.events,
            closed_missing=result.closed_missing,
            rejections=self.rejections,
            hygiene=self.hygiene,
            unknown_stages=sorted(self.unknown.values(), key=lambda stage: -stage.rows),
            unplaced_owners=result.unplaced_rows.most_common(),
            people_created=self.writer.owners.created,
            stage_rules_saved=self.stage_rules_saved,
            max_rejects=self.plan.max_rejects,
            full_snapshot=self.options.full_snapshot,
            date_shift_days=shift.days if shift is not None else None,
        )

    def _summary(self, number: int, file: _File) -> FileSummary:
        mapping = file.mapping
        return FileSummary(
            path=file.csv.path,
            preset=mapping.preset,
            preset_detected=mapping.detected,
            encoding=file.csv.encoding,
            header=mapping.header,
            rows=file.rows,
            footer_lines=file.csv.footer_lines,
            total_rows=self.totals[number],
            ignored_columns=mapping.ignored,
            key_columns=tuple(mapping.column_name(name) for name in mapping.key_fields),
            reading=file.locale.notes,
        )


def _shared_name(record: DealRecord | None) -> str | None:
    """The name to check for duplicates: an open deal's own name (not one built for it)."""
    if record is None or not record.name_given or record.values["status"] != "open":
        return None
    return str(record.values["name"])
