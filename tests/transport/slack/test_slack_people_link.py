"""`dealcoach people link` as an admin runs it: a real process, asking the fake Slack
which workspace this is when --team is not given."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from slack_harness import BOT_TOKEN, SIGNING_SECRET
from support import bare_environment

from testkit.slack_api import FakeSlack

DEALCOACH = Path(sys.executable).with_name("dealcoach")


@pytest.fixture
def dealcoach(tmp_path: Path, slack: FakeSlack):
    database = tmp_path / "people.sqlite3"
    env = bare_environment()
    env.update(
        DEALCOACH_DATABASE_URL=f"sqlite:///{database}",
        DEALCOACH_DATA_DIR=str(tmp_path),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.base_url,
    )
    team_csv = tmp_path / "team.csv"
    team_csv.write_text(
        "rep,manager,region,email,manager_email,timezone\n"
        "Alex Rivera,Dana Whitfield,East,alex@example.com,dana@example.com,America/New_York\n",
        encoding="utf-8",
    )

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

    assert run("db", "upgrade").returncode == 0
    imported = run("import", "team", str(team_csv))
    assert imported.returncode == 0, imported.stderr

    def links() -> list[tuple]:
        with sqlite3.connect(database) as connection:
            return connection.execute(
                "SELECT p.email, c.platform, c.tenant, c.external_id FROM chat_identities c "
                "JOIN people p ON p.id = c.person_id ORDER BY c.id"
            ).fetchall()

    run.links = links  # type: ignore[attr-defined]
    return run


def test_link_asks_slack_for_the_workspace_and_can_move_a_link(dealcoach, slack: FakeSlack):
    first = dealcoach("people", "link", "--slack", "U0ALEX1", "--email", "alex@example.com")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "Linked Slack user U0ALEX1 (workspace T1) to Alex Rivera <alex@example.com>."
    )
    assert len(slack.calls_to("auth.test")) == 1
    moved = dealcoach(
        "people", "link", "--slack", "U0ALEX1", "--email", "DANA@example.com", "--team", "T1"
    )
    assert moved.returncode == 0, moved.stderr
    assert "It was linked to Alex Rivera before." in moved.stdout
    assert dealcoach.links() == [("dana@example.com", "slack", "T1", "U0ALEX1")]


def test_bad_input_says_what_to_fix(dealcoach) -> None:
    cases = [
        (["--slack", "alex", "--email", "alex@example.com"], "--slack: 'alex' is not a Slack"),
        (["--slack", "U0X1", "--email", "nobody@example.com"], "nobody has the email"),
        (["--slack", "U0X1", "--email", "alex@example.com", "--team", "acme"], "--team: 'acme'"),
    ]
    for args, message in cases:
        result = dealcoach("people", "link", *args)
        assert result.returncode == 2
        assert message in result.stderr
    assert dealcoach.links() == []
