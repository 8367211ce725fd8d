"""`dealcoach` as a person runs it on the demo pipeline (issue 18, item 12): reading
sends nothing, long lists are cut with a way to see the rest, JSON numbers are
numbers, a closed pipe ends the process quietly."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import bare_environment
from typer.testing import CliRunner

from bot.cli.common import CLOSED_PIPE, plain_help_types
from bot.cli.main import app
from storage.db import Database
from storage.demo import load_demo
from storage.migrate import upgrade
from storage.models import OutboxMessage, Person, RiskWarning

DEALCOACH = Path(sys.executable).with_name("dealcoach")


@pytest.fixture
def demo_db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    upgrade(database)
    with database.transaction() as session:
        load_demo(session, dt.datetime.now(dt.UTC))
    return database


def environment(tmp_path: Path) -> dict[str, str]:
    return bare_environment(
        DEALCOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        DEALCOACH_DATA_DIR=str(tmp_path),
        DEALCOACH_LOG_LEVEL="WARNING",
    )


def dealcoach(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(DEALCOACH), *args],
        cwd=tmp_path,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def counts(database: Database) -> tuple[int, int]:
    with database.transaction() as session:
        warnings = session.scalar(select(func.count()).select_from(RiskWarning)) or 0
        posts = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    return warnings, posts


def test_reading_warnings_sends_nothing_and_post_does(tmp_path: Path, demo_db: Database) -> None:
    text = dealcoach(tmp_path, "warnings").stdout
    assert "Nothing was kept or posted" in text
    assert counts(demo_db) == (0, 0)
    output = json.loads(dealcoach(tmp_path, "warnings", "--json").stdout)
    assert output["scan"]["preview"] is True and output["scan"]["posted"] == 0
    assert output["total"] == len(output["warnings"]) > 10  # JSON lists all by default
    assert counts(demo_db) == (0, 0)

    posted = json.loads(dealcoach(tmp_path, "warnings", "--json", "--post").stdout)["scan"]
    assert posted["preview"] is False and posted["posted"] == 3  # Dana's daily budget
    warnings, posts = counts(demo_db)
    assert warnings == output["total"] and posts == 3


def test_plain_warnings_lists_ten_per_team_and_says_how_many_more(
    tmp_path: Path, demo_db: Database
) -> None:
    total = json.loads(dealcoach(tmp_path, "warnings", "--json").stdout)["total"]
    lines = dealcoach(tmp_path, "warnings").stdout.splitlines()
    assert sum(1 for line in lines if line.startswith("  #")) == 10
    assert f"  …and {total - 10} more on this team" in "\n".join(lines)
    assert lines[-1] == (
        f"10 listed, {total - 10} more: `--limit N` per team, `--limit 0` for all,"
        " `--manager NAME` for one team."
    )
    everything = dealcoach(tmp_path, "warnings", "--limit", "0", "--manager", "Dana Whitfield")
    assert sum(1 for line in everything.stdout.splitlines() if line.startswith("  #")) == total


def test_warnings_json_numbers_are_numbers(tmp_path: Path, demo_db: Database) -> None:
    warnings = json.loads(dealcoach(tmp_path, "warnings", "--json").stdout)["warnings"]
    stalled = [warning for warning in warnings if warning["rule"] == "stalled"]
    assert stalled
    for warning in stalled:
        facts = warning["facts"]
        for key in ("days", "limit", "median", "samples"):
            assert isinstance(facts[key], int | float), (key, facts[key])
    for warning in warnings:
        for key, value in warning["facts"].items():
            assert not (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value)), key


def test_digest_text_and_json_agree_and_sending_says_where(
    tmp_path: Path, demo_db: Database
) -> None:
    with demo_db.transaction() as session:
        dana = session.scalars(select(Person).where(Person.email == "dana@example.com")).one()
        dana.digest_day = "fri"
    printed = dealcoach(tmp_path, "digest", "--manager", "dana@example.com", "--print").stdout
    figures = json.loads(
        dealcoach(tmp_path, "digest", "--manager", "Dana Whitfield", "--json").stdout
    )
    assert dt.date.fromisoformat(figures["period_start"]).weekday() == 4  # a Friday
    assert f"week of {figures['period_start']}" in printed.splitlines()[0]
    sent = dealcoach(tmp_path, "digest", "--manager", "dana@example.com").stdout
    assert sent == (
        "Digest for Dana Whitfield queued as a direct message to Dana Whitfield in the terminal"
        " chat (they see it when they run `dealcoach run --as` themselves); the running bot"
        " delivers it (`dealcoach run`).\n"
    )
    assert "person:" not in sent


def test_db_current_says_up_to_date(tmp_path: Path, demo_db: Database) -> None:
    current = dealcoach(tmp_path, "db", "current").stdout
    assert re.fullmatch(r"database at \w+: up to date\n", current), current


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["run"],
        ["demo"],
        ["warnings"],
        ["digest"],
        ["brief"],
        ["db", "current"],
        ["import", "deals"],
        ["import", "team"],
        ["teams-package"],
    ],
)
def test_help_shows_no_python_types(command: list[str]) -> None:
    plain_help_types()
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", result.output), result.output


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["run", "--as", "dana@example.com"], "help\ndeals\nwarnings\nquit\n"),
        (["demo", "--days", "1"], ""),
        (["warnings", "--limit", "0"], ""),
    ],
)
def test_a_closed_pipe_ends_quietly(
    tmp_path: Path, demo_db: Database, args: list[str], stdin: str
) -> None:
    """`dealcoach ... | head`: the reader is gone before anything is written."""
    process = subprocess.Popen(
        [str(DEALCOACH), *args],
        cwd=tmp_path,
        env=environment(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, errors = process.communicate(stdin, timeout=180)
    assert process.returncode == CLOSED_PIPE, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
