"""`make bench`: run every benchmark and print one table of figures with their baselines.

    .venv/bin/python -m benchmarks.run [--only SECTION ...] [--quick] [--postgres URL]

Figures are measured, never asserted. Each compares dealcoach with a baseline measured
in the same run on the same machine (a shared, noisy one), as a ratio.
PostgreSQL sections run when --postgres or $DEALCOACH_BENCH_POSTGRES_URL (else
$DEALCOACH_TEST_POSTGRES_URL) gives a server.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
from dataclasses import dataclass

from benchmarks.report import Row, table

SECTIONS = {
    "slack": "benchmarks.slack_events",
    "round": "benchmarks.checkin_round",
    "managers": "benchmarks.manager_scan",
    "delivery": "benchmarks.delivery_rate_limits",
    "model": "benchmarks.model_economy",
    "understanding": "benchmarks.understanding",
    "import": "benchmarks.crm_import",
    "activities": "benchmarks.activity_import",
    "evidence": "benchmarks.evidence_warnings",
}


@dataclass(frozen=True, slots=True)
class Context:
    """What every section's `run(context) -> list[Row]` gets."""

    quick: bool
    postgres_url: str | None

    @property
    def backends(self) -> list[str]:
        return ["sqlite", "postgresql"] if self.postgres_url else ["sqlite"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), default=list(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--postgres", help="a PostgreSQL URL (a private schema is used)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    postgres = (
        args.postgres
        or os.environ.get("DEALCOACH_BENCH_POSTGRES_URL")
        or os.environ.get("DEALCOACH_TEST_POSTGRES_URL")
    )
    context = Context(quick=args.quick, postgres_url=postgres)
    rows: list[Row] = []
    for name in args.only:
        started = time.perf_counter()
        print(f"running {name}...", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(SECTIONS[name]).run(context))
        print(f"  {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(table(rows))


if __name__ == "__main__":
    main()
