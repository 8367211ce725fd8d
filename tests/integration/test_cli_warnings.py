"""`dealcoach warnings` and `dealcoach digest` as a user runs them, on the imported crm-sample."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from manager_support import sample_teams
from support import bare_environment

DEALCOACH = Path(sys.executable).with_name("dealcoach")


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, crm_sample: Path):
    """`dealcoach ...` on one SQLite file holding the crm-sample and its teams."""
    folder = tmp_path_factory.mktemp("cli-warnings")
    env = bare_environment()
    env.update(
        DEALCOACH_DATABASE_URL=f"sqlite:///{folder / 'cli.sqlite3'}",
        DEALCOACH_DATA_DIR=str(folder),
        DEALCOACH_LOG_LEVEL="WARNING",
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEALCOACH), *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    for step in (
        ("db", "upgrade"),
        ("import", "team", str(crm_sample / "sales_teams.csv")),
        ("import", "deals", str(crm_sample / "sales_pipeline.csv"), "--shift-dates-to-today"),
    ):
        done = run(*step)
        assert done.returncode == 0, done.stderr
    return run


@pytest.mark.slow
def test_warnings_json_lists_explainable_warnings_and_a_repeat_posts_nothing(cli) -> None:
    first = cli("warnings", "--json", "--post")
    assert first.returncode == 0, first.stderr
    output = json.loads(first.stdout)
    scan, warnings = output["scan"], output["warnings"]
    assert scan["deals"] == 4346
    assert scan["raised"] == scan["open_warnings"] == len(warnings) > 2000
    assert scan["posted"] == 6 * 3  # six managers, three interruptions each
    deals_at_risk = len({warning["deal"]["id"] for warning in warnings})
    assert scan["held"] == deals_at_risk - scan["posted"]  # one post per deal, all its reasons
    for warning in warnings:
        assert warning["reason"] and warning["action"] and warning["signals"]
        assert warning["deal"]["manager"] is not None
    stalled = next(warning for warning in warnings if warning["rule"] == "stalled")
    assert stalled["facts"]["basis"] == "cycle"
    assert stalled["reason"].startswith(
        f"open {stalled['facts']['days']} days; this team's won deals close in"
    )
    assert stalled["reason"].endswith("is not known")  # the export has no stage history
    assert max(warning["severity"] for warning in warnings) < 3  # a first import: none urgent

    again = json.loads(cli("warnings", "--json", "--post").stdout)["scan"]
    assert (again["raised"], again["escalated"], again["resolved"], again["posted"]) == (0, 0, 0, 0)

    text = cli("warnings", "--manager", "Rocco Neubert")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("Scanned 4,346 open deals:")
    assert lines[2].startswith("Rocco Neubert's team: ")
    assert lines[3].startswith("  #") and lines[4].startswith("      why: ")


@pytest.mark.slow
def test_digest_prints_one_managers_digest(cli, crm_sample: Path) -> None:
    teams = sample_teams(crm_sample)
    printed = cli("digest", "--manager", "Celia Rouche", "--print")
    assert printed.returncode == 0, printed.stderr
    text = printed.stdout
    assert text.startswith("== Weekly digest · Celia Rouche's team · week of ")
    assert "== Velocity ==" in text and "== Deals at risk (" in text
    others = set().union(*teams.values()) - teams["Celia Rouche"]
    assert [rep for rep in others if rep in text] == []

    as_json = json.loads(cli("digest", "--manager", "Celia Rouche", "--json").stdout)
    assert as_json["manager"] == "Celia Rouche"
    assert as_json["team"]["reps"] == len(teams["Celia Rouche"])


@pytest.mark.slow
def test_digest_without_print_queues_it_and_bad_names_are_explained(cli) -> None:
    sent = cli("digest", "--manager", "Cara Losch")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith("Digest for Cara Losch queued as a direct message to Cara")

    unknown = cli("digest", "--manager", "Nobody Here", "--print")
    assert unknown.returncode == 2
    assert "nobody matches --manager 'Nobody Here'; managers: Cara Losch, " in unknown.stderr

    rep = cli("digest", "--manager", "Donn Cantrell", "--print")
    assert rep.returncode == 2
    assert "Donn Cantrell has nobody reporting to them" in rep.stderr
