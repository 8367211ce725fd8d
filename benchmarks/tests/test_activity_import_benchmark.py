"""The activities benchmark section runs at its quick size and reports what it measured
(figures printed, never asserted: only that every row is there and the import did it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_activities_section_prints_rates_and_peak_memory_against_csv_reader() -> None:
    env = {name: value for name, value in os.environ.items() if "POSTGRES" not in name}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--only", "activities", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| activities (sqlite")]
    assert [row.split("|")[2].strip() for row in rows] == [
        "first import, rows/s",
        "first import, peak memory",
        "re-import (all unchanged), rows/s",
        "re-import, peak memory",
    ]
    assert "5,000 inserted, 0 not linked," in rows[0]
    assert "5,000 unchanged in" in rows[2]
