"""The "import" section of `make bench`: a 1,000,000-row CRM export in bounded memory.

A generated Salesforce opportunity report as a European org exports it (BOM, day-first
dates, decimal commas, currencies in the amount, custom stages, 200 owners) is imported
into a fresh database, then imported again (every row unchanged). Each run is a child
process that reports its wall time and its peak resident memory (ru_maxrss). The
baseline, in the same run, is a child that imports the same modules and reads the same
file with csv.reader: the memory the import adds is the difference. Target: the
import's peak under 300 MB.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.backends import database_for
from benchmarks.report import Row, ratio
from benchmarks.run import Context

FULL_ROWS = 1_000_000
QUICK_ROWS = 20_000
TARGET_MB = 300
NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
HEADER = (
    "Opportunity Owner", "Owner Email", "Account Name", "Opportunity Name", "Opportunity ID",
    "Stage", "Amount", "Opportunity Currency", "Probability (%)", "Forecast Category",
    "Close Date", "Created Date", "Last Stage Change Date", "Next Step", "Type", "Lead Source",
)  # fmt: skip
STAGES = (
    ("Prospecting", 10, "Pipeline"),
    ("Qualification", 20, "Pipeline"),
    ("Demo Completed", 40, "Pipeline"),
    ("Proposal Sent", 60, "Best Case"),
    ("Verbal Commit", 90, "Commit"),
    ("Negotiation/Review", 80, "Commit"),
    ("Closed Won", 100, "Closed"),
    ("Closed Lost", 0, "Omitted"),
)
CURRENCIES = ("EUR", "EUR", "EUR", "GBP", "CHF")


@dataclass(frozen=True, slots=True)
class Measured:
    """One child process: what it did, how long it took, its peak resident memory."""

    rows: int
    seconds: float
    peak_mb: float
    detail: dict[str, int]

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def write_export(path: Path, rows: int, seed: int = 16) -> None:
    """A Salesforce-style report of `rows` opportunities, written as Salesforce writes it."""
    chance = random.Random(seed)
    start = dt.date(2024, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(HEADER)
        for number in range(rows):
            owner = chance.randrange(200)
            stage, probability, forecast = chance.choice(STAGES)
            created = start + dt.timedelta(days=chance.randrange(900))
            changed = created + dt.timedelta(days=chance.randrange(60))
            close = changed + dt.timedelta(days=chance.randrange(5, 120))
            cents = chance.randrange(100_000, 50_000_000)
            amount = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
            currency = chance.choice(CURRENCIES)
            writer.writerow(
                (
                    f"Rep {owner:03d}",
                    f"rep{owner:03d}@example.com",
                    f"Account {chance.randrange(40_000):05d}",
                    f"Account deal {number:07d}",
                    f"006{number:015d}",
                    stage,
                    f"{currency} {amount}",
                    currency,
                    str(probability),
                    forecast,
                    close.strftime("%d/%m/%Y"),
                    created.strftime("%d/%m/%Y"),
                    changed.strftime("%d/%m/%Y"),
                    "Call the CFO" if number % 3 else "",
                    "New Business" if number % 4 else "Renewal",
                    "Web",
                )
            )
        writer.writerow([f"Grand Totals ({rows} records)", *[""] * (len(HEADER) - 1)])
        writer.writerows([[""], ["Confidential Information - Do Not Distribute"]])


def run(context: Context) -> list[Row]:
    """The section's rows: rows per second and peak memory, against csv.reader."""
    size = QUICK_ROWS if context.quick else FULL_ROWS
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dealcoach-bench-import-") as folder:
        path = Path(folder) / "opportunities.csv"
        write_export(path, size)
        baseline = _child("baseline", path)
        for backend in context.backends:
            with database_for(backend, context.postgres_url) as database:
                first = _child("import", path, database.url)
                again = _child("import", path, database.url)
            megabytes = path.stat().st_size / 2**20
            section = f"import ({backend}, {size:,} rows, {megabytes:.0f} MB file)"
            rows += _rows(section, baseline, first, again)
    return rows


def _rows(section: str, baseline: Measured, first: Measured, again: Measured) -> list[Row]:
    base_rate = f"{baseline.rate:,.0f} rows/s (csv.reader)"
    base_peak = f"{baseline.peak_mb:.0f} MB (csv.reader, same modules)"
    target = f"target < {TARGET_MB} MB: {'met' if first.peak_mb < TARGET_MB else 'NOT met'}"
    return [
        Row(
            section,
            "first import, rows/s",
            f"{first.rate:,.0f}",
            base_rate,
            ratio(first.rate, baseline.rate),
            f"{first.detail['inserted']:,} inserted in {first.seconds:.0f} s",
        ),
        Row(
            section,
            "first import, peak memory",
            f"{first.peak_mb:.0f} MB",
            base_peak,
            ratio(first.peak_mb, baseline.peak_mb),
            target,
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
            f"target < {TARGET_MB} MB: {'met' if again.peak_mb < TARGET_MB else 'NOT met'}",
        ),
    ]


def _child(kind: str, path: Path, url: str = "") -> Measured:
    """Run one measurement in a fresh interpreter and read its JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.crm_import", kind, str(path), url],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {kind} child failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Measured(figures["rows"], figures["seconds"], figures["peak_mb"], figures["detail"])


def _measure_baseline(path: Path) -> dict[str, object]:
    import storage.importers.deal_import  # noqa: F401 - the same modules as the import

    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    return {"rows": rows, "seconds": time.perf_counter() - started, "detail": {}}


def _measure_import(path: Path, url: str) -> dict[str, object]:
    from storage.db import Database
    from storage.importers.deal_import import DealImportOptions, import_deals

    database = Database(url)
    started = time.perf_counter()
    report = import_deals(database, path, DealImportOptions(), now=NOW)
    seconds = time.perf_counter() - started
    database.dispose()
    detail = {
        "inserted": report.inserted,
        "unchanged": report.unchanged,
        "rejected": report.rejections.count,
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
