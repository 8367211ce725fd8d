"""The console chat, driven through real stdin and stdout of `dealcoach run`."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import bare_environment

from coaching.schedule import WEEKDAYS

DEALCOACH = Path(sys.executable).with_name("dealcoach")
# Three days from today in every time zone: nobody's check-in is due while a test runs.
QUIET_DAY = WEEKDAYS[(dt.datetime.now(dt.UTC).weekday() + 3) % 7]


def run_console(tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = bare_environment()
    environment["DEALCOACH_DATA_DIR"] = str(tmp_path / "data")
    environment["DEALCOACH_CHECKIN_DAYS"] = QUIET_DAY  # no scheduled check-in mid-test
    return subprocess.run(
        [str(DEALCOACH), "run", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )


def test_first_run_loads_the_demo_and_chats_as_a_rep(tmp_path: Path) -> None:
    result = run_console(
        tmp_path,
        "help\ndeals\ndeal northwind\ndeal nothing-like-this\nfoo bar\nquit\n",
        "--as",
        "alex@example.com",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "loaded the demo pipeline (8 deals)" in out
    assert "Hi Alex." in out
    assert "`deal NAME`" in out
    assert "Your open deals (3)" in out
    assert "Northwind fleet analytics: Negotiation/Review, $84,000" in out
    assert "Tailspin" not in out  # Priya's deal, not Alex's
    assert "Money" in out and "Budget confirmed (12 days ago)" in out
    assert "Decision maker" in out and "Maria Lopez, stale (50 days ago)" in out
    assert "Decision date" in out and "missing" in out
    assert "no open deal of yours matching “nothing-like-this”" in out
    assert "That's not something I can help with, Alex" in out  # "foo bar": the coach
    assert (tmp_path / "data" / "dealcoach.sqlite3").exists()


def test_second_run_keeps_the_data_and_picks_a_rep_by_number(tmp_path: Path) -> None:
    run_console(tmp_path, "quit\n", "--as", "alex@example.com")
    result = run_console(tmp_path, "2\ndeals\n")
    assert result.returncode == 0, result.stderr
    assert "loaded the demo pipeline" not in result.stdout
    assert "Who are you?" in result.stdout
    assert "2) Priya Shah <priya@example.com>" in result.stdout
    assert "Hi Priya." in result.stdout
    assert "Tailspin route optimisation" in result.stdout
    assert "£120,000" in result.stdout


def test_unknown_person_is_a_clear_error(tmp_path: Path) -> None:
    result = run_console(tmp_path, "", "--as", "nobody@example.com")
    assert result.returncode == 2
    assert "nobody matches 'nobody@example.com'; try one of:" in result.stderr
    assert "alex@example.com" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEALCOACH_PORT", "abc", "dealcoach: DEALCOACH_PORT: Input should be a valid integer"),
        ("DEALCOACH_PLAYBOOK", "/nonexistent.yaml", "dealcoach: cannot read playbook"),
    ],
)
def test_bad_setting_stops_start_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    environment = dict(os.environ, DEALCOACH_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [str(DEALCOACH), "run"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr
