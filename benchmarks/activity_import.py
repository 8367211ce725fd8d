"""The "activities" section of `make bench`: 100,000 activity rows in bounded memory.

The crm-sample's team and deals are imported first (not measured, dates shifted to
today); then testkit.activity_log writes 100,000 rows of its synthetic Salesforce
activity report, which is imported (linked to deals, texts read with the signal
lexicon, signals stored), then imported again (every row unchanged). Each run is a
child process reporting its wall time and peak resident memory (ru_maxrss). The
baseline, in the same run, is a child that imports the same modules and reads the same
file with csv.reader: the difference is what linking, reading and writing cost.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.backends import database_for
from benchmarks.crm_import import Measured
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.team_import import import_team
from testkit.activity_log import write_activity_log
from testkit.crm_sample import crm_sample_dir

FULL_ROWS = 100_000
QUICK_ROWS = 5_000
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def run(context: Context) -> list[Row]:
    """The section's rows: rows per second and peak memory, against csv.reader."""
    size = QUICK_ROWS if context.quick else FULL_ROWS
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dealcoach-bench-activities-") as folder:
        path = Path(folder) / "activities.csv"
        write_activity_log(path, today=NOW.date(), max_rows=size)
        baseline = _child("baseline", path)
        for backend in context.backends:
            with database_for(backend, context.postgres_url) as database:
                _load_deals(database)
                first = _child("import", path, database.url)
                again = _child("import", path, database.url)
            section = f"activities ({backend}, {size:,} rows, crm-sample deals)"
            rows += _rows(section, baseline, first, again)
    return rows


def _load_deals(database: Database) -> None:
    sample = crm_sample_dir()
    import_team(database, sample / "sales_teams.csv", encoding=None, default_timezone="UTC")
    options = DealImportOptions(shift_dates_to_today=True)
    import_deals(database, sample / "sales_pipeline.csv", options, now=NOW)


def _rows(section: str, baseline: Measured, first: Measured, again: Measured) -> list[Row]:
    base_rate = f"{baseline.rate:,.0f} rows/s (csv.reader)"
    base_peak = f"{baseline.peak_mb:.0f} MB (csv.reader, same modules)"
    detail = first.detail
    return [
        Row(
            section,
            "first import, rows/s",
            f"{first.rate:,.0f}",
            base_rate,
            ratio(first.rate, baseline.rate),
            f"{detail['inserted']:,} inserted, {detail['unlinked']:,} not linked, "
            f"{detail['signals']:,} signals in {first.seconds:.0f} s",
        ),
        Row(
            section,
            "first import, peak memory",
            f"{first.peak_mb:.0f} MB",
            base_peak,
            ratio(first.peak_mb, baseline.peak_mb),
        ),
        Row(
            section,
            "re-import (all unchanged), rows/s",
            f"{again.rate:,.0f}",
            base_rate,
            ratio(again.rate, baseline.rate),
            f"{again.detail['unchanged']:,} unchanged in {again.seconds:.0f} s",
        ),
        Row(
            section,
            "re-import, peak memory",
            f"{again.peak_mb:.0f} MB",
            base_peak,
            ratio(again.peak_mb, baseline.peak_mb),
        ),
    ]


def _child(kind: str, path: Path, url: str = "") -> Measured:
    """Run one measurement in a fresh interpreter and read its JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.activity_import", kind, str(path), url],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {kind} child failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Measured(figures["rows"], figures["seconds"], figures["peak_mb"], figures["detail"])


def _measure_baseline(path: Path) -> dict[str, object]:
    import storage.importers.activity_import  # noqa: F401 - the same modules as the import

    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    return {"rows": rows, "seconds": time.perf_counter() - started, "detail": {}}


def _measure_import(path: Path, url: str) -> dict[str, object]:
    from storage.importers.activity_import import ActivityImportOptions, import_activities

    database = Database(url)
    started = time.perf_counter()
    report = import_activities(database, path, ActivityImportOptions(), now=NOW)
    seconds = time.perf_counter() - started
    database.dispose()
    detail = {
        "inserted": report.saved.inserted,
        "unchanged": report.saved.unchanged,
        "unlinked": report.unlinked.count,
        "rejected": report.rejections.count,
        "signals": sum(report.signals.values()),
    }
    return {"rows": report.rows, "seconds": seconds, "detail": detail}


def _child_main(kind: str, path: str, url: str) -> None:
    figures = (
        _measure_baseline(Path(path)) if kind == "baseline" else _measure_import(Path(path), url)
    )
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


if __name__ == "__main__":
    _child_main(*sys.argv[1:4])
