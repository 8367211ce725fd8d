"""`dealcoach import deals|team`: load CRM exports and team lists from CSV files.

Exit status 0 when the file was read (rejected rows are listed in the summary),
2 when it could not be used at all (nothing was written).
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from storage.importers.reporting import Progress, RowIssue

import_app = typer.Typer(help="Load deals and teams from CSV files.", no_args_is_help=True)

SHOWN = 10
LARGE = 1000

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
    file: FileArg,
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
            "close_date, owner, owner_email, created_on, stage_entered_on, last_activity_on, "
            'loss_reason, description, shared_summary; "ignore" skips a column.',
        ),
    ] = None,
    encoding: Encoding = None,
    currency: Annotated[
        str, typer.Option(help="Currency of amounts whose row names no currency.")
    ] = "USD",
    shift_dates_to_today: Annotated[
        bool,
        typer.Option(
            "--shift-dates-to-today",
            help="Move every date by one offset so the newest date in the file is today "
            "(for demos on old exports).",
        ),
    ] = False,
    rejects: Rejects = None,
) -> None:
    """Import or update deals from a Salesforce, HubSpot or crm-sample CSV export.

    Deals match by crm_id; changes of stage, close date, status, amount, owner are logged.

    Dates: YYYY-MM-DD, M/D/YYYY (US order) or D.M.YYYY, with or without a time.

    Amounts: "1 234,50" is 1234.50 (decimal comma), "$1,234" is 1234 (thousands).
    """
    from bot.cli.common import fail, services_or_exit
    from storage.importers.deal_import import DealImportOptions, import_deals
    from storage.importers.errors import ImportAborted

    services = services_or_exit()
    _check_rejects_path(rejects)
    options = DealImportOptions(
        preset=preset,
        column_map=tuple(column_map or ()),
        encoding=encoding,
        currency=currency,
        shift_dates_to_today=shift_dates_to_today,
        default_timezone=services.settings.default_timezone,
    )
    started = time.perf_counter()
    try:
        with _progress_bar() as progress:
            report = import_deals(
                services.database, file, options, now=services.clock.now(), progress=progress
            )
    except ImportAborted as exc:
        fail(f"nothing imported from {file}: {exc}")
    layout = report.preset.name + (" (detected from the header)" if report.preset_detected else "")
    typer.echo(
        f"Read {file}: {report.rows:,} data rows, layout {layout}, {_encoding(report.encoding)}."
    )
    _counts(
        ("inserted", report.inserted),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("rejected", len(report.rejections)),
        ("deal events", report.events),
    )
    if report.people_created:
        _names("People created as reps", report.people_created)
    _rejections(report.rejections, rejects, report.header)
    _issues("Imported with warnings", report.warnings)
    _notes(report.rows, report.footer_lines, report.ignored_columns)
    if report.date_shift_days is not None:
        typer.echo(f"Dates shifted by {report.date_shift_days:+,} days: the newest is today.")
    typer.echo(f"Done in {time.perf_counter() - started:.1f} s.")


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
        _issues("Rejected", issues, f"all of them are in {write_to}")
    else:
        _issues("Rejected", issues, "--rejects FILE.csv writes them all")


def _issues(title: str, issues: Sequence[RowIssue], hint: str = "") -> None:
    if not issues:
        return
    shown = f", first {SHOWN} shown" if len(issues) > SHOWN else ""
    typer.echo(f"{title}: {len(issues):,} rows{shown}" + (f"; {hint}" if hint else ""))
    for issue in issues[:SHOWN]:
        typer.echo(f"  line {issue.line}: {issue.reason}")


def _write_rejects(path: Path, issues: Sequence[RowIssue], header: Sequence[str]) -> None:
    from bot.cli.common import fail

    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "reason", *header])
            writer.writerows([issue.line, issue.reason, *issue.cells] for issue in issues)
    except OSError as exc:
        fail(f"the import was saved, but the rejects file could not be written: {exc}")


def _notes(rows: int, footer_lines: int, ignored: Sequence[str]) -> None:
    if rows == 0:
        typer.echo("The file has a header but no data rows: nothing to import.")
    if footer_lines:
        typer.echo(f"Skipped a report footer of {footer_lines} lines at the end of the file.")
    if ignored:
        typer.echo(
            "Columns not imported: " + ", ".join(ignored) + ' (map one with --map "Column=field")'
        )
