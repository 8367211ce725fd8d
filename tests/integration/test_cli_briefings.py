"""`dealcoach brief` and the console briefing flow, as a user runs them: real processes."""

import sqlite3
import subprocess
import sys
from pathlib import Path

from support import bare_environment

from testkit.smtp_server import FakeSMTPServer

DEALCOACH = Path(sys.executable).with_name("dealcoach")


def run(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = bare_environment()
    environment |= {"DEALCOACH_DATA_DIR": str(tmp_path / "data")} | env
    return subprocess.run(
        [str(DEALCOACH), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


def briefings(tmp_path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(tmp_path / "data" / "dealcoach.sqlite3") as connection:
        return connection.execute("SELECT id, status FROM briefings ORDER BY id").fetchall()


def test_brief_print_shows_a_draft_and_saves_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, "brief", "tailspin", "--print")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "loaded the demo pipeline (8 deals)" in out
    assert "# Fleet Analytics at Tailspin Toys: the case for a decision by" in out
    assert "_Prepared for Hannah Moss by Priya Shah" in out
    for heading in ("## The problem and what it costs", "## Why now", "## Next steps"):
        assert heading in out
    assert "# For you only (not sent)" in out
    assert (
        "> Hannah, would you be open to a couple of tips others used to get this approved?" in out
    )
    assert "120,000" not in out and "Routeify" not in out
    assert briefings(tmp_path) == []


def test_brief_without_print_saves_a_draft_for_the_owner(tmp_path: Path) -> None:
    result = run(tmp_path, "brief", "northwind")
    assert result.returncode == 0, result.stderr
    assert (
        "Saved as draft #1 for Alex Rivera: review it in chat with `edit 1`, `approve 1`."
        in result.stdout
    )
    assert "Candid" not in result.stdout  # Tom Becker's stakeholder notes are internal
    assert briefings(tmp_path) == [(1, "draft")]


def test_brief_names_the_deals_when_the_query_is_unclear(tmp_path: Path) -> None:
    result = run(tmp_path, "brief", "zebra")
    assert result.returncode == 2
    assert "dealcoach: 'zebra' matches no open deal; try one of:" in result.stderr
    assert "Tailspin route optimisation" in result.stderr


def test_the_console_drafts_edits_approves_and_emails(
    tmp_path: Path, smtp_server: FakeSMTPServer
) -> None:
    smtp = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_FROM": "dealcoach@example.com",
        "SMTP_STARTTLS": "false",
    }
    chat = (
        "brief tailspin\nedit 1\n5\nPeak season is coming; we need a decision.\napprove 1\nquit\n"
    )
    result = run(tmp_path, "run", "--as", "priya@example.com", stdin=chat, **smtp)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "== Briefing #1 for Hannah Moss: Tailspin route optimisation ==" in out
    assert "On approval it is emailed to Hannah Moss <hannah.moss@tailspin.example>" in out
    assert "[Approve and send: `approve 1`]" in out
    assert "Send the new text for Why now (briefing #1)" in out
    assert "✓ Why now updated." in out
    assert "✓ Approved. I'm emailing briefing #1 to Hannah Moss" in out
    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["hannah.moss@tailspin.example"]
    assert mail.message["Reply-To"] == "Priya Shah <priya@example.com>"
    assert (
        "Peak season is coming; we need a decision."
        in mail.message.get_body(("plain",)).get_content()
    )
