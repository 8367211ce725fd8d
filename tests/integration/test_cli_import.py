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
FIXTURES = Path(__file__).parents[1] / "fixtures" / "crm"


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
    assert lines[7].startswith(
        "Owners in no team yet, with their rows (30): Darcel Schlecht 1,330,"
    )
    assert "Record hygiene (imported, but worth fixing in the CRM):" in lines
    assert (
        "  won without an amount: 19 rows (lines 296, 722, 2866, 3428, 3520, 3637, 4452, 5218, "
        "5296, 5405, ...)"
    ) in lines
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

    refused = cli("import", "deals", str(source), "--rejects", str(rejects))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"dealcoach: nothing imported from {source}: 12 of 24 rows were rejected, more than "
        "--max-rejects 10% allows; fix the rows or allow more (e.g. --max-rejects 50%)"
    ]
    assert f"Rejected: 12 rows, first 10 shown; all of them are in {rejects}" in refused.stdout
    assert count(cli.database, "SELECT count(*) FROM deals") == 0
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 13

    result = cli("import", "deals", str(source), "--rejects", str(rejects), "--max-rejects", "50%")

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

    plain = cli("import", "deals", str(source), "--max-rejects", "12")
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


def test_exports_as_salesforce_and_hubspot_write_them(cli, tmp_path: Path) -> None:
    hubspot, salesforce = (
        FIXTURES / "hubspot_deals_eu.csv",
        FIXTURES / "salesforce_opportunities_eu.csv",
    )
    result = cli(
        "import", "deals", str(hubspot), str(salesforce), "--stage-map", "Verbal Commit=late"
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"Read {hubspot}: 15 data rows, layout hubspot (detected from the header), UTF-8.",
        "  Read day/month/year (as line 2, Close Date '19/12/2026 00:00'); decimal comma "
        "(as line 2, Amount '48000,00'); probabilities as fractions of 1.",
    ]
    assert "Skipped report totals (Grand Totals, Subtotal): 1 row." in lines
    assert "  inserted          24" in lines
    assert (
        "  Evaluation in Enterprise: 4 rows (hubspot_deals_eu.csv line 3, hubspot_deals_eu.csv "
        "line 4, hubspot_deals_eu.csv line 13, hubspot_deals_eu.csv line 16); placed middle 4"
    ) in lines
    assert not [line for line in lines if line.startswith("  Verbal Commit")]
    assert "Stage map: 1 entries saved for later imports." in lines
    assert count(cli.database, "SELECT count(*) FROM deals WHERE currency = 'GBP'") == 2

    again = cli("import", "deals", str(hubspot), "--month-first")
    assert again.returncode == 1
    assert "11 of 15 rows were rejected" in again.stderr


def test_a_report_without_ids_and_a_full_snapshot(cli, tmp_path: Path) -> None:
    source = FIXTURES / "salesforce_report_no_id.csv"
    first = cli("import", "deals", str(source))
    assert first.returncode == 0, first.stderr
    assert (
        "  No id column: deals are matched by a stable key from Opportunity Name, Account Name, "
        "Created Date, Opportunity Owner, so a renamed deal imports as a new one. Add the id "
        'column (Salesforce: "Opportunity ID", HubSpot: "Record ID") to match deals exactly.'
    ) in first.stdout.splitlines()

    shorter = tmp_path / "shorter.csv"
    shorter.write_text(
        "\n".join(
            line
            for line in source.read_text(encoding="utf-8-sig").splitlines()
            if "Acme - Support add-on" not in line
        ),
        encoding="utf-8",
    )
    snapshot = cli("import", "deals", str(shorter), "--full-snapshot")
    assert snapshot.returncode == 0, snapshot.stderr
    assert "  closed as missing from CRM        1" in snapshot.stdout.splitlines()
    assert count(cli.database, "SELECT count(*) FROM deals WHERE status = 'missing'") == 1


def test_every_command_migrates_a_fresh_sqlite_database_by_itself(tmp_path: Path) -> None:
    env = bare_environment()
    env.update(
        DEALCOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        DEALCOACH_DATA_DIR=str(tmp_path),
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEALCOACH), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip

    deals = run("import", "deals", str(FIXTURES / "salesforce_report_no_id.csv"))
    assert deals.returncode == 0, deals.stderr
    assert "  inserted           5" in deals.stdout.splitlines()
    current = run("db", "current").stdout.strip()
    assert current.startswith("database at ") and current.endswith(": up to date"), current


def test_import_activities_reports_links_kinds_and_unlinked_rows(cli, tmp_path: Path) -> None:
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Opportunity ID,Opportunity Name,Account Name,Stage,Opportunity Owner\n"
        "A1,Acme rollout,Acme Corp,Proposal,Maria Stone\n"
        "G1,Globex renewal,Globex,Proposal,Maria Stone\n"
        "G2,Globex upsell,Globex,Proposal,Tom Reyes\n",
        encoding="utf-8",
    )
    assert cli("import", "deals", str(deals)).returncode == 0
    report = Path(__file__).parents[1] / "fixtures" / "activities" / "salesforce_report_uk.csv"
    rejects = tmp_path / "activity_rejects.csv"

    result = cli(
        "import", "activities", str(report), "--max-rejects", "1", "--rejects", str(rejects)
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        f"Read {report}: 5 data rows, layout salesforce (detected from the header), UTF-8.",
        "  Read day/month/year (as line 2, Date '20/11/2026').",
        "  inserted                    3",
        "  updated                     0",
        "  unchanged                   0",
        "  not linked to a deal        1",
        "  rejected                    1",
        "Linked by account 2, by deal name 1.",
        "Kinds: call 2, task 1; buyer activity 2, rep activity 1, unknown 0.",
    ]
    assert f"Not linked to a deal: 1 row; all of them are in {rejects}" in lines
    unlinked = "  line 5: not linked: no deal of account 'Initech' (import those deals first"
    assert any(line.startswith(unlinked) for line in lines)
    assert "  line 6: 'Date': '31/13/2026' is not a real date (read as day/month/year)" in lines
    assert count(cli.database, "SELECT count(*) FROM activities") == 3
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 3

    again = cli("import", "activities", str(report), "--max-rejects", "1")
    assert "  unchanged                   3" in again.stdout.splitlines()
    assert count(cli.database, "SELECT count(*) FROM activities") == 3
