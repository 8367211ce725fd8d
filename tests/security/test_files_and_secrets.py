"""Findings 9 and 11 (issue 15): what the bot writes and prints.

9. `data/` was 0755 and the SQLite file, the log and briefing files 0644;
11. `db current` showed a database password, an unreachable PostgreSQL gave a
    449-line traceback, and at DEBUG slack_sdk logged the OAuth response with the
    new bot token.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import stat
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from slack_harness import SlackHarness, slack_app
from support import TOKEN_KEY, bare_environment

from bot.infra import logs
from coaching.clock import FixedClock
from storage.db import Database
from testkit.slack_api import FakeSlack

DEALCOACH = Path(sys.executable).with_name("dealcoach")
PASSWORD = "s3cret-Pw-9"
T2_TOKEN = "xoxb-2-second-workspace-token"


def dealcoach(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = bare_environment(**settings)
    return subprocess.run(
        [str(DEALCOACH), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_f09_the_data_directory_is_0700_and_its_files_0600(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    old_log = data / "dealcoach.log"
    old_log.write_text("an older version's log\n")
    old_log.chmod(0o644)
    (data / "briefings").mkdir()
    (data / "briefings" / "globex-1.md").write_text("# internal\n")

    done = dealcoach(tmp_path, "db", "upgrade", DEALCOACH_DATA_DIR=str(data))
    assert done.returncode == 0, done.stderr
    assert mode(data) == 0o700
    database = data / "dealcoach.sqlite3"
    assert database.exists()
    for path in (database, old_log, data / "briefings" / "globex-1.md"):
        assert mode(path) == 0o600, path
    assert mode(data / "briefings") == 0o700


def test_f09_briefing_files_are_written_0600(tmp_path: Path) -> None:
    from bot.briefings.handoff import save_files

    class Docs:
        markdown, html = "# For Hannah", "<h1>For Hannah</h1>"

    class Deal:
        name = "Globex expansion"

    paths = save_files(tmp_path, Deal(), 7, Docs())  # type: ignore[arg-type]
    assert [mode(path) for path in paths] == [0o600, 0o600]


@pytest.mark.parametrize("command", [("db", "current"), ("db", "upgrade"), ("warnings",)])
def test_f11_an_unreachable_database_is_one_line_without_the_password(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    url = f"postgresql+psycopg://dealcoach:{PASSWORD}@127.0.0.1:1/dealcoach?connect_timeout=3"
    done = dealcoach(tmp_path, *command, DEALCOACH_DATABASE_URL=url)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(
        "dealcoach: cannot reach the database at postgresql+psycopg://dealcoach:***@"
    )
    assert PASSWORD not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_f11_db_current_never_prints_the_password(tmp_path: Path) -> None:
    """trust auth accepts any password: the URL carries one, and it is never shown."""
    url = f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:5432/test"
    done = dealcoach(
        tmp_path, "db", "current", DEALCOACH_DATABASE_URL=url, DEALCOACH_LOG_LEVEL="DEBUG"
    )
    assert PASSWORD not in done.stdout + done.stderr


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # in slack_sdk
def test_f11_at_debug_no_token_is_logged_through_an_oauth_install(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    slack.add_oauth_code("code-for-T2", team="T2", token=T2_TOKEN)
    app = slack_app(
        demo_database,
        clock,
        slack,
        slack_bot_token=None,
        slack_client_id="1111111111.2222222222",
        slack_client_secret="client-secret-value",
        slack_workspaces="T1,T2",
        token_key=TOKEN_KEY,
    )
    written = io.StringIO()
    ours = logs.handler(written, "text", logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(ours)
    root.setLevel(logging.DEBUG)

    async def scenario() -> int:
        async with SlackHarness(app, slack) as harness:
            install = await harness.get("/slack/install")
            state = re.search(r"state=([\w-]+)", install[1])
            assert state
            cookie = SimpleCookie()
            for header in install[2]:
                cookie.load(header)
            cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
            redirect = await harness.get(
                f"/slack/oauth_redirect?code=code-for-T2&state={state.group(1)}",
                headers={"Cookie": cookies},
            )
            return redirect[0]

    try:
        assert asyncio.run(scenario()) == 200
    finally:
        root.removeHandler(ours)
        root.setLevel(level)
    log = written.getvalue()
    assert "oauth.v2.access" in log  # slack_sdk did log the call at DEBUG
    assert T2_TOKEN not in log
    assert "client-secret-value" not in log
    assert TOKEN_KEY not in log
