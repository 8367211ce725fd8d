"""The import benchmark section runs at its quick size and reports what it measured.

It runs as `make bench` runs it, in a subprocess: the figures are printed, never asserted
here; only that every row is there and the import did what it says.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_import_section_prints_rates_and_peak_memory_against_csv_reader() -> None:
    env = {name: value for name, value in os.environ.items() if "POSTGRES" not in name}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--only", "import", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| import (sqlite")]
    measures = [row.split("|")[2].strip() for row in rows]
    assert measures == [
        "first import, rows/s",
        "first import, peak memory",
        "re-import (all unchanged), rows/s",
        "re-import, peak memory",
    ]
    assert "20,000 inserted in" in rows[0] and "rows/s (csv.reader)" in rows[0]
    assert "20,000 unchanged in" in rows[2]
    assert "MB (csv.reader, same modules)" in rows[1]
