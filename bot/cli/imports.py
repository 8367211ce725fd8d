"""`dealcoach import deals|team|activities`: load CRM exports and team lists from CSV files.

Exit status 0 when the file was read (rejected rows are listed in the summary), 1 when
more deal or activity rows were rejected than --max-rejects allows, 2 when a file could not be used
at all; in both of the latter nothing was written.
"""

from __future__ import annotations

import csv
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.infra.services import Services
    from coaching.evidence.model import Activity, Signal
    from storage.importers.activity_import import ActivityImportReport
    from storage.importers.deal_import import DealImportReport
    from storage.importers.reporting import IssueLog, Progress, RowIssue

import_app = typer.Typer(
    help="Load deals, teams and activities from CSV files.", no_args_is_help=True
)

SHOWN = 10
LARGE = 1000
_GROUP_NAMES = {"default": "in the playbook's default group"}

FileArg = Annotated[
    Path, typer.Argument(help="The CSV file to import.", dir_okay=False, show_default=False)
]
Encoding = Annotated[
    str | None,
    typer.Option(help="The file's encoding when it is not UTF-8, e.g. latin-1 or cp1252."),
]
Rejects = Annotated[
    Path | None,
    typer.Option(
        help="Write every rejected row, with its line and reason, to this CSV file.",
        dir_okay=False,
    ),
]


@import_app.command("deals")
def deals(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The CSV export(s) to import; several files are imported together.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    *,
    preset: Annotated[
        str, typer.Option(help="The export's layout: auto, salesforce, hubspot or crm-sample.")
    ] = "auto",
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='Map a column to a field, e.g. --map "Deal Number=crm_id"; repeatable. '
            "Fields: crm_id, name, account, product, amount, currency, stage, status, "
            "pipeline, forecast_category, probability, close_date, owner, owner_email, "
            "created_on, stage_entered_on, last_activity_on, loss_reason, next_step, "
            "next_step_on, deal_type, lead_source, description, shared_summary; "
            '"ignore" skips a column.',
        ),
    ] = None,
    encoding: Encoding = None,
    currency: Annotated[
        str,
        typer.Option(help="Currency of amounts whose row names none (no column, code or symbol)."),
    ] = "USD",
    day_first: Annotated[
        bool | None,
        typer.Option(
            "--day-first/--month-first",
            help="How numeric dates such as 05/06/2027 are written. Without it the file "
            "decides (one date like 25/06/2027 makes it day-first); a file where every "
            "date reads both ways asks for this option.",
            show_default=False,
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(help='The exact date format, e.g. "%d/%m/%Y %H:%M" (ISO dates still read).'),
    ] = None,
    decimal_comma: Annotated[
        bool | None,
        typer.Option(
            "--decimal-comma/--decimal-point",
            help="How amounts write decimals. Without it the file decides (1.234,50 is a "
            "decimal comma).",
            show_default=False,
        ),
    ] = None,
    stage_map: Annotated[
        list[str] | None,
        typer.Option(
            help='Place a stage of your own: "Verbal Commit=late", or for one pipeline '
            '"Enterprise: Evaluation=middle"; groups early, middle, late, or won/lost for '
            "closing stages. Repeatable; remembered for later imports.",
        ),
    ] = None,
    stage_map_file: Annotated[
        Path | None,
        typer.Option(
            help="A YAML stage map: stages: {Stage: group} and pipelines: {Name: {Stage: group}}.",
            dir_okay=False,
        ),
    ] = None,
    full_snapshot: Annotated[
        bool,
        typer.Option(
            "--full-snapshot",
            help="The file(s) list every deal: open deals they leave out are closed as "
            '"missing from CRM" (not lost; they reopen if they come back).',
        ),
    ] = False,
    shift_dates_to_today: Annotated[
        bool,
        typer.Option(
            "--shift-dates-to-today",
            help="Move every date of every file by one offset so the newest is today (for "
            "demos on old exports); writes no change history.",
        ),
    ] = False,
    max_rejects: Annotated[
        str,
        typer.Option(
            help="Refuse the import (write nothing, exit 1) when more rows are rejected: "
            "a number of rows (50) or a share of them (10%).",
        ),
    ] = "10%",
    rejects: Rejects = None,
) -> None:
    """Import or update deals from Salesforce, HubSpot or crm-sample CSV exports.

    Deals match by crm_id (or, without an id column, by a stable key); changes of
    stage, close date, status, amount, owner are logged.

    Dates: YYYY-MM-DD, numeric dates in the file's order (--day-first/--month-first),
    D.M.YYYY, or --date-format; with or without a time.

    Amounts: "€ 15.000,00" is 15000.00 EUR; "$1,234" is 1234 USD.
    """
    from bot.cli.common import fail, services_or_exit
    from storage.importers.deal_import import DealImportOptions, TooManyRejects, import_deals
    from storage.importers.errors import ImportAborted

    services = services_or_exit()
    options = DealImportOptions(
        preset=preset,
        column_map=tuple(column_map or ()),
        encoding=encoding,
        currency=currency,
        shift_dates_to_today=shift_dates_to_today,
        default_timezone=services.settings.default_timezone,
        day_first=day_first,
        date_format=date_format,
        decimal_mark=None if decimal_comma is None else ("," if decimal_comma else "."),
        stage_map=tuple(stage_map or ()),
        stage_map_file=stage_map_file,
        full_snapshot=full_snapshot,
        max_rejects=max_rejects,
        rejects_path=rejects,
    )
    started = time.perf_counter()
    names = ", ".join(str(file) for file in files)
    try:
        with _progress_bar() as progress:
            report = import_deals(
                services.database,
                files,
                options,
                now=services.clock.now(),
                playbook=services.playbook,
                progress=progress,
            )
    except TooManyRejects as exc:
        _files_read(exc.report)
        _deal_rejections(exc.report.rejections, rejects)
        typer.echo(f"dealcoach: nothing imported from {names}: {exc}", err=True)
        raise typer.Exit(1) from None
    except ImportAborted as exc:
        fail(f"nothing imported from {names}: {exc}")
    _deals_summary(report, rejects)
    typer.echo(f"Done in {time.perf_counter() - started:.1f} s.")


def _deals_summary(report: DealImportReport, rejects: Path | None) -> None:
    _files_read(report)
    _counts(
        ("inserted", report.inserted),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        *((("closed as missing from CRM", report.closed_missing),) if report.full_snapshot else ()),
        ("rejected", len(report.rejections)),
        ("deal events", report.events),
    )
    if report.people_created:
        _names("People created as reps", report.people_created)
    _deal_rejections(report.rejections, rejects)
    _unknown_stages(report)
    if report.unplaced_owners:
        _names(
            "Owners in no team yet, with their rows",
            [f"{name} {rows:,}" for name, rows in report.unplaced_owners],
        )
        typer.echo(
            "  Their deals raise no warnings until `dealcoach import team` gives them a manager."
        )
    _hygiene(report)
    if report.stage_rules_saved:
        typer.echo(f"Stage map: {report.stage_rules_saved} entries saved for later imports.")
    if report.date_shift_days is not None:
        typer.echo(
            f"Dates shifted by {report.date_shift_days:+,} days: the newest is today; "
            "no change history written."
        )


def _files_read(report: DealImportReport) -> None:
    for file in report.files:
        layout = file.preset.name + (" (detected from the header)" if file.preset_detected else "")
        typer.echo(
            f"Read {file.path}: {file.rows - file.total_rows:,} data rows, layout {layout}, "
            f"{_encoding(file.encoding)}."
        )
        if file.reading:
            typer.echo("  Read " + "; ".join(file.reading) + ".")
        if file.key_columns:
            typer.echo(
                "  No id column: deals are matched by a stable key from "
                + ", ".join(file.key_columns)
                + ", so a renamed deal imports as a new one. Add the id column (Salesforce: "
                '"Opportunity ID", HubSpot: "Record ID") to match deals exactly.'
            )
        _notes(file.rows, file.footer_lines, file.ignored_columns, file.total_rows)


def _unknown_stages(report: DealImportReport) -> None:
    if not report.unknown_stages:
        return
    typer.echo(
        "Stages the playbook does not know (open deals placed by probability or else as "
        'early; place them with --stage-map "Stage=late"):'
    )
    for stage in report.unknown_stages[:SHOWN]:
        pipeline = f" in {stage.pipeline}" if stage.pipeline else ""
        placed = ", ".join(
            f"{_GROUP_NAMES.get(group, group)} {count:,}"
            for group, count in stage.groups.most_common()
        )
        typer.echo(
            f"  {stage.stage}{pipeline}: {_rows(stage.rows)} "
            f"({_places(stage.places, stage.rows)}); placed {placed}"
        )


def _hygiene(report: DealImportReport) -> None:
    hygiene = report.hygiene
    if not hygiene.caught and not hygiene.shared_name_count:
        return
    typer.echo("Record hygiene (imported, but worth fixing in the CRM):")
    for finding in hygiene.caught:
        places = _places(finding.places, finding.count)
        typer.echo(f"  {finding.label}: {_rows(finding.count)} ({places})")
    if hygiene.shared_name_count:
        count = hygiene.shared_name_count
        typer.echo(f"  open deals sharing a name: {count:,} name" + ("" if count == 1 else "s"))
        for shared in hygiene.shared_names[:SHOWN]:
            typer.echo(f"    {shared.name!r}: {_places(shared.places, len(shared.places))}")


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def _places(places: Sequence[str], count: int) -> str:
    """ "lines 3, 4, 10, ..." (or "a.csv line 3, ..." when the import read several files)."""
    more = ", ..." if count > len(places) else ""
    if all(place.startswith("line ") for place in places):
        numbers = [place.removeprefix("line ") for place in places]
        return ("lines " if len(numbers) > 1 else "line ") + ", ".join(numbers) + more
    return ", ".join(places) + more


@import_app.command("activities")
def activities(
    file: FileArg,
    *,
    preset: Annotated[
        str,
        typer.Option(help="The export's layout: auto, salesforce, hubspot or generic."),
    ] = "auto",
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='Map a column to a field, e.g. --map "Logged On=occurred_at"; repeatable. '
            "Fields: activity_id, kind, status, occurred_at, meeting_start, subject, body, "
            "contact_name, contact_email, deal_id, deal_name, account, owner, direction, "
            'outcome; "ignore" skips a column.',
        ),
    ] = None,
    encoding: Encoding = None,
    timezone: Annotated[
        str | None,
        typer.Option(help="The zone of times written without one (default: the bot's)."),
    ] = None,
    day_first: Annotated[
        bool | None,
        typer.Option(
            "--day-first/--month-first",
            help="How numeric dates such as 05/06/2027 are written; without it the file decides.",
            show_default=False,
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(help='The exact date format, e.g. "%d/%m/%Y %H:%M" (ISO dates still read).'),
    ] = None,
    max_rejects: Annotated[
        str,
        typer.Option(
            help="Refuse the import (write nothing, exit 1) when more rows are rejected: "
            "a number of rows (50) or a share of them (10%). Rows matching no deal don't count.",
        ),
    ] = "10%",
    rejects: Rejects = None,
    lexicon: Annotated[
        Path | None,
        typer.Option(
            help="A YAML file of your team's own phrases, added to the signal lexicon "
            "(default: DEALCOACH_SIGNAL_LEXICON).",
            dir_okay=False,
        ),
    ] = None,
    model: Annotated[
        bool,
        typer.Option(
            help="With a model configured, also read each completed activity's text with "
            "it (one call per activity; quotes are kept only when found verbatim).",
        ),
    ] = True,
) -> None:
    """Import calls, meetings, emails, notes and tasks from a CRM activity export.

    Each is linked to its deal by the deal's CRM id, else by deal name or account
    (the owner's deal, then the open deal most recently active); rows that match no
    deal are listed. Importing the same file again updates, never doubles.
    """
    from bot.cli.common import fail, services_or_exit
    from storage.importers.activity_import import (
        ActivityImportOptions,
        TooManyActivityRejects,
        import_activities,
    )
    from storage.importers.errors import ImportAborted

    services = services_or_exit()
    options = ActivityImportOptions(
        preset=preset,
        column_map=tuple(column_map or ()),
        encoding=encoding,
        timezone=timezone or services.settings.default_timezone,
        day_first=day_first,
        date_format=date_format,
        max_rejects=max_rejects,
        rejects_path=rejects,
        lexicon_path=lexicon or services.settings.signal_lexicon_path,
        text_reader=_model_reader(services) if model else None,
    )
    started = time.perf_counter()
    try:
        with _progress_bar() as progress:
            report = import_activities(
                services.database, file, options, now=services.clock.now(), progress=progress
            )
    except TooManyActivityRejects as exc:
        _issues(exc.report.rejections, rejects)
        typer.echo(f"dealcoach: nothing imported from {file}: {exc}", err=True)
        raise typer.Exit(1) from None
    except ImportAborted as exc:
        fail(f"nothing imported from {file}: {exc}")
    _activities_summary(report, rejects)
    typer.echo(f"Done in {time.perf_counter() - started:.1f} s.")


def _activities_summary(report: ActivityImportReport, rejects: Path | None) -> None:
    mapping = report.mapping
    layout = mapping.preset.name + (" (detected from the header)" if mapping.detected else "")
    typer.echo(
        f"Read {report.path}: {report.rows:,} data rows, layout {layout}, "
        f"{_encoding(report.encoding)}."
    )
    if report.reading:
        typer.echo("  Read " + "; ".join(report.reading) + ".")
    saved = report.saved
    _counts(
        ("inserted", saved.inserted),
        ("updated", saved.updated),
        ("unchanged", saved.unchanged),
        ("not linked to a deal", len(report.unlinked)),
        ("rejected", len(report.rejections)),
        *((("skipped (cancelled)", report.skipped["cancelled"]),) if report.skipped else ()),
    )
    if report.linked_by:
        names = {"id": "by deal id", "name": "by deal name", "account": "by account"}
        typer.echo(
            "Linked "
            + ", ".join(f"{names[how]} {count:,}" for how, count in report.linked_by.most_common())
            + "."
        )
        typer.echo(
            "Kinds: "
            + ", ".join(f"{kind} {count:,}" for kind, count in report.kinds.most_common())
            + "; buyer activity "
            + f"{report.directions['buyer']:,}, rep activity {report.directions['rep']:,}, "
            + f"unknown {report.directions['unknown']:,}."
        )
    if report.signals:
        typer.echo(
            "Signals read from their notes (internal): "
            + ", ".join(f"{kind} {count:,}" for kind, count in report.signals.most_common())
            + "."
        )
    if report.exposure_raised:
        typer.echo(
            f"Stakeholders marked never met, met in a meeting held (exposure now 2): "
            f"{report.exposure_raised:,}."
        )
    if report.unknown_types:
        typer.echo(
            "Types read as tasks (not call, meeting, email or note): "
            + ", ".join(f"{kind} {count:,}" for kind, count in report.unknown_types.most_common())
        )
    if len(report.unlinked):
        _issues(report.unlinked, rejects, "Not linked to a deal")
    _issues(report.rejections, rejects)
    _notes(report.rows, report.footer_lines, mapping.ignored)


@import_app.command("team")
def team(file: FileArg, *, encoding: Encoding = None, rejects: Rejects = None) -> None:
    """Import reps, their managers and regions from a team CSV file.

    Columns: rep (or sales_agent), manager, region (or regional_office), and
    optionally email, manager_email and timezone.
    """
    from bot.cli.common import fail, services_or_exit
    from storage.importers.errors import ImportAborted
    from storage.importers.team_import import import_team

    services = services_or_exit()
    _check_rejects_path(rejects)
    try:
        report = import_team(
            services.database,
            file,
            encoding=encoding,
            default_timezone=services.settings.default_timezone,
        )
    except ImportAborted as exc:
        fail(f"nothing imported from {file}: {exc}")
    typer.echo(f"Read {file}: {report.rows:,} data rows, {_encoding(report.encoding)}.")
    _counts(
        ("reps created", len(report.reps_created)),
        ("managers created", len(report.managers_created)),
        ("people updated", report.updated),
        ("people unchanged", report.unchanged),
        ("rejected", len(report.rejections)),
    )
    if report.managers_created:
        _names("Managers created", report.managers_created)
    _rejections(report.rejections, rejects, report.header)
    _notes(report.rows, 0, ())


def _check_rejects_path(rejects: Path | None) -> None:
    from bot.cli.common import fail

    if rejects is not None and not rejects.parent.is_dir():
        fail(f"--rejects {rejects}: the folder {rejects.parent} does not exist")


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """A rich progress bar on a terminal for large files; silent otherwise."""
    from storage.importers.reporting import no_progress

    if not sys.stdout.isatty():
        yield no_progress
        return
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

    with RichProgress(transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(phase: str, done: int, total: int) -> None:
            if total < LARGE:
                return
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase.capitalize(), total=total)
            bar.update(tasks[phase], completed=done)

        yield advance


def _encoding(name: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(name, name)


def _counts(*counts: tuple[str, int]) -> None:
    width = max(len(label) for label, _ in counts)
    for label, count in counts:
        typer.echo(f"  {label:<{width}}  {count:>7,}")


def _names(title: str, names: Sequence[str]) -> None:
    shown = ", ".join(names[:SHOWN]) + (
        f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    )
    typer.echo(f"{title} ({len(names)}): {shown}")


def _rejections(issues: Sequence[RowIssue], write_to: Path | None, header: Sequence[str]) -> None:
    if write_to is not None:
        _write_rejects(write_to, issues, header)
    _issues(issues, write_to)


def _deal_rejections(issues: IssueLog, written_to: Path | None) -> None:
    """The importer wrote every rejected row to the --rejects file as it went."""
    _issues(issues, written_to)


def _issues(
    issues: Sequence[RowIssue] | IssueLog, written_to: Path | None, title: str = "Rejected"
) -> None:
    if not len(issues):
        return
    hint = (
        f"all of them are in {written_to}"
        if written_to is not None
        else "--rejects FILE.csv writes them all"
    )
    shown = f", first {SHOWN} shown" if len(issues) > SHOWN else ""
    typer.echo(f"{title}: {_rows(len(issues))}{shown}; {hint}")
    for issue in islice(issues, SHOWN):
        typer.echo(f"  {issue.where}: {issue.reason}")


def _write_rejects(path: Path, issues: Sequence[RowIssue], header: Sequence[str]) -> None:
    from bot.cli.common import fail

    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "reason", *header])
            writer.writerows([issue.line, issue.reason, *issue.cells] for issue in issues)
    except OSError as exc:
        fail(f"the import was saved, but the rejects file could not be written: {exc}")


def _notes(rows: int, footer_lines: int, ignored: Sequence[str], total_rows: int = 0) -> None:
    if rows == 0:
        typer.echo("The file has a header but no data rows: nothing to import.")
    if footer_lines:
        typer.echo(f"Skipped a report footer of {footer_lines} lines at the end of the file.")
    if total_rows:
        typer.echo(f"Skipped report totals (Grand Totals, Subtotal): {_rows(total_rows)}.")
    if ignored:
        typer.echo(
            "Columns not imported: " + ", ".join(ignored) + ' (map one with --map "Column=field")'
        )


def _model_reader(services: Services) -> Callable[[Activity], list[Signal]] | None:
    """The model's reading of an activity's text, when a model is configured; a failed
    call reads nothing (the lexicon's signals stay) and is logged."""
    from bot.infra.services import Context

    chat_model = Context.of(services).chat_model()
    if chat_model is None:
        return None
    from prompts.llm import ModelCallError, ModelSignalReader

    reader = ModelSignalReader(chat_model)

    def read(activity: Activity) -> list[Signal]:
        try:
            return reader.read_activity(activity)
        except ModelCallError as exc:
            logging.getLogger(__name__).warning("signals of %s: %s", activity.source_ref, exc)
            return []

    return read
