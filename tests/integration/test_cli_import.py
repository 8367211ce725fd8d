"""`dealcoach import` as a user runs it: a real process on a temporary SQLite file."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import bare_environment

DEALCOACH = Path(sys.executable).with_name("dealcoach")


@pytest.fixture
def cli(tmp_path: Path):
    """Run `dealcoach ...` against a fresh, upgraded SQLite database in tmp_path."""
    database = tmp_path / "cli.sqlite3"
    env = bare_environment()
    env.update(DEALCOACH_DATABASE_URL=f"sqlite:///{database}", DEALCOACH_DATA_DIR=str(tmp_path))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEALCOACH), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    run.database = database  # type: ignore[attr-defined]
    return run


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchone()[0]


@pytest.mark.slow
def test_import_the_crm_sample_then_its_teams(cli, crm_sample: Path) -> None:
    deals = cli("import", "deals", str(crm_sample / "sales_pipeline.csv"))

    assert deals.returncode == 0, deals.stderr
    lines = deals.stdout.splitlines()
    assert lines[0] == (
        f"Read {crm_sample / 'sales_pipeline.csv'}: 14,277 data rows, "
        "layout crm-sample (detected from the header), UTF-8."
    )
    assert lines[1:6] == [
        "  inserted      14,277",
        "  updated            0",
        "  unchanged          0",
        "  rejected           0",
        "  deal events        0",
    ]
    assert lines[6].startswith("People created as reps (30): Donn Cantrell, James Ascencio,")
    assert "Imported with warnings: 19 rows, first 10 shown" in lines
    assert "  line 296: won deal without an amount: imported with no amount" in lines
    assert count(cli.database, "SELECT count(*) FROM deals") == 14277

    again = cli("import", "deals", str(crm_sample / "sales_pipeline.csv"), "--preset", "crm-sample")
    assert again.returncode == 0, again.stderr
    assert "layout crm-sample," in again.stdout
    assert "  unchanged     14,277" in again.stdout.splitlines()
    assert "People created" not in again.stdout

    team = cli("import", "team", str(crm_sample / "sales_teams.csv"))
    assert team.returncode == 0, team.stderr
    assert team.stdout.splitlines()[1:6] == [
        "  reps created            0",
        "  managers created        6",
        "  people updated         30",
        "  people unchanged        0",
        "  rejected                0",
    ]
    assert count(cli.database, "SELECT count(*) FROM people WHERE manager_id IS NOT NULL") == 30


def test_rejected_rows_are_listed_and_written_out(cli, tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    rows = ["Opportunity ID,Stage,Amount,Close Date"]
    rows += [f"{n},Prospecting,{'bad' if n % 2 else n},2027-01-01" for n in range(1, 25)]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"

    result = cli("import", "deals", str(source), "--rejects", str(rejects))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  inserted          12" in lines
    assert "  rejected          12" in lines
    assert f"Rejected: 12 rows, first 10 shown; all of them are in {rejects}" in lines
    assert (
        "  line 2: Amount: cannot read 'bad' as an amount (write it like 1234.50 or $1,234.50)"
        in lines
    )

    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["line", "reason", "Opportunity ID", "Stage", "Amount", "Close Date"]
    assert [row[0] for row in written[1:]] == [str(line) for line in range(2, 26, 2)]
    assert written[1][2:] == ["1", "Prospecting", "bad", "2027-01-01"]
    assert count(cli.database, "SELECT count(*) FROM deals") == 12

    plain = cli("import", "deals", str(source))
    assert "Rejected: 12 rows, first 10 shown; --rejects FILE.csv writes them all" in plain.stdout


def test_unreadable_files_and_bad_options_exit_2(cli, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Opportunity ID,Stage,Account Name\n1,Proposal,Société\n".encode("latin-1"))

    result = cli("import", "deals", str(latin))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"dealcoach: nothing imported from {latin}: the file is not UTF-8: line 2 has byte 0xE9, "
        "in '1,Proposal,Soci�t�'",
        "dealcoach: save the file as UTF-8, or say which encoding it uses, e.g. --encoding "
        "latin-1 (--encoding cp1252 for files saved by Excel on Windows)",
    ]
    assert cli("import", "deals", str(latin), "--encoding", "latin-1").returncode == 0

    bad_map = cli("import", "deals", str(latin), "--map", "Account Name=company")
    assert bad_map.returncode == 2
    assert "'company' is not a field. The fields are:" in bad_map.stderr
    assert "dealcoach:   account: the buying company" in bad_map.stderr

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = cli("import", "team", str(empty))
    assert result.returncode == 2
    assert "the file is empty" in result.stderr
    assert count(cli.database, "SELECT count(*) FROM deals") == 1
