"""`dealcoach teams-package` and `dealcoach people link --teams`, as an admin runs them."""

from __future__ import annotations

import json
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zipfile
import zlib
from pathlib import Path

import pytest
from support import bare_environment
from teams_support import ALEX, message

from bot.bootstrap import build_app, build_services
from bot.settings import load_settings
from bot.teams.package import unlisted_commands
from testkit.botframework_connector import FakeConnector

DEALCOACH = Path(sys.executable).with_name("dealcoach")
APP_ID = "7C9E6679-7425-40DE-944B-E07FC1F90AE7"
CONSOLE_COMMANDS = [
    "help", "checkin", "deals", "deal", "brief", "snooze", "pause", "schedule", "warnings", "digest"
]  # fmt: skip
# Manifest versions Microsoft documents as current or recent (1.18 was never released).
CURRENT_MANIFESTS = {"1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25"}


@pytest.fixture
def cli(tmp_path: Path):
    """Run `dealcoach ...` in tmp_path with its own SQLite file and only the given settings."""
    env = bare_environment()
    env.update(
        DEALCOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        DEALCOACH_DATA_DIR=str(tmp_path),
    )

    def run(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEALCOACH), *args],
            cwd=tmp_path,
            env=env | settings,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert run("db", "upgrade").returncode == 0
    run.env = env  # type: ignore[attr-defined]
    return run


def png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, colour type, pixel rows) of a non-interlaced 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, interlace) == (8, 0)
    channels = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * channels + 1
    rows = [raw[row * stride : (row + 1) * stride] for row in range(height)]
    assert all(row[0] == 0 for row in rows), "only unfiltered rows are decoded here"
    return width, height, colour, [row[1:] for row in rows]


def test_the_package_follows_the_teams_rules(cli, tmp_path: Path) -> None:
    done = cli(
        "teams-package",
        "--out",
        "app.zip",
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="secret",
    )
    assert done.returncode == 0, done.stderr
    assert "wrote app.zip: Teams app 7c9e6679-7425-40de-944b-e07fc1f90ae7" in done.stdout
    with zipfile.ZipFile(tmp_path / "app.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = png(archive.read("color.png"))
        outline = png(archive.read("outline.png"))

    version = manifest["manifestVersion"]
    assert version in CURRENT_MANIFESTS
    assert manifest["$schema"] == (
        f"https://developer.microsoft.com/en-us/json-schemas/teams/v{version}/"
        "MicrosoftTeams.schema.json"
    )
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["id"] == APP_ID.lower()
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID.lower()
    assert sorted(bot["scopes"]) == ["personal", "team"]
    [menu] = bot["commandLists"]
    assert sorted(menu["scopes"]) == ["personal", "team"]
    assert [command["title"] for command in menu["commands"]] == CONSOLE_COMMANDS
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in menu["commands"])
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    assert all(
        url.startswith("https://") for key, url in manifest["developer"].items() if key != "name"
    )
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9A-F]{6}", manifest["accentColor"])

    width, height, _, rows = color
    assert (width, height) == (192, 192)
    colours = {bytes(row[i : i + 3]) for row in rows for i in range(0, len(row), 4)}
    assert len(colours) > 1  # a colour icon, not a blank square
    width, height, colour_type, rows = outline
    assert (width, height, colour_type) == (32, 32, 6)
    pixels = {bytes(row[i : i + 4]) for row in rows for i in range(0, len(row), 4)}
    assert pixels == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}  # white on transparent
    corner = rows[0][:4]
    assert corner == b"\x00\x00\x00\x00"  # the background is transparent


def test_the_package_is_the_same_every_time(cli, tmp_path: Path) -> None:
    for name in ("one.zip", "two.zip"):
        done = cli("teams-package", "--out", name, MicrosoftAppId=APP_ID, MicrosoftAppPassword="x")
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_the_package_needs_no_password_and_stays_out_of_the_working_tree(
    cli, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    done = cli("teams-package", MicrosoftAppId=APP_ID, DEALCOACH_DATA_DIR=str(data))
    assert done.returncode == 0, done.stderr
    assert f"wrote {data / 'dealcoach-teams.zip'}" in done.stdout
    assert zipfile.is_zipfile(data / "dealcoach-teams.zip")
    assert not (tmp_path / "dealcoach-teams.zip").exists()


@pytest.mark.parametrize(
    ("settings", "options", "error"),
    [
        ({}, [], "MicrosoftAppId is not set"),
        ({"MicrosoftAppId": "my-bot", "MicrosoftAppPassword": "x"}, [], "must be a GUID"),
        (
            {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"},
            ["--privacy-url", "http://example.com/privacy"],
            "--privacy-url must be an https:// address",
        ),
    ],
)
def test_a_package_that_teams_would_refuse_is_not_written(
    cli, tmp_path: Path, settings: dict, options: list[str], error: str
) -> None:
    done = cli("teams-package", *options, **settings)
    assert done.returncode == 2
    assert error in done.stderr
    assert not (tmp_path / "dealcoach-teams.zip").exists()


def test_every_engine_command_is_in_the_teams_menu_or_deliberately_hidden() -> None:
    services = build_services(load_settings(database_url="sqlite://"))
    engine = build_app(services).engine  # with every command the app installs
    assert unlisted_commands(engine.commands) == []


def test_people_are_linked_and_unlinked_explicitly(cli, tmp_path: Path) -> None:
    team = tmp_path / "team.csv"
    team.write_text(
        "Rep,Email,Manager,Manager Email\n"
        "Alex Rivera,alex@example.com,Dana Whitfield,dana@example.com\n",
        encoding="utf-8",
    )
    assert cli("import", "team", str(team)).returncode == 0
    aad = "0a1b2c3d-0000-4000-8000-00000000a1e5"
    done = cli("people", "link", "--teams", aad, "--email", "ALEX@example.com")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Linked Teams account {aad} to Alex Rivera <ALEX@example.com>."
    assert cli("people", "link", "--teams", aad, "--email", "alex@example.com").returncode == 0
    moved = cli("people", "link", "--teams", aad, "--email", "dana@example.com")
    assert moved.returncode == 0, moved.stderr
    assert "It was linked to Alex Rivera before." in moved.stdout
    nobody = cli("people", "link", "--teams", aad, "--email", "who@example.com")
    assert "nobody has the email 'who@example.com'" in nobody.stderr
    assert cli("people", "unlink", "--teams", aad).returncode == 0
    both = cli("people", "link", "--teams", aad, "--slack", "U1", "--email", "dana@example.com")
    assert "give exactly one of --slack MEMBER_ID and --teams AAD_OBJECT_ID" in both.stderr
    again = cli("people", "unlink", "--teams", "not-linked")
    assert (again.returncode, again.stderr.strip()) == (
        2,
        "dealcoach: no link for teams account 'not-linked' in 'any tenant'",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_run_teams_serves_the_emulator_mode_and_delivers_replies(cli, tmp_path: Path) -> None:
    team = tmp_path / "team.csv"
    team.write_text("Rep,Email\nAlex Rivera,alex@example.com\n", encoding="utf-8")
    assert cli("import", "team", str(team)).returncode == 0
    port = free_port()
    env = cli.env | {"DEALCOACH_PORT": str(port), "DEALCOACH_TICK_SECONDS": "3600"}
    base = f"http://127.0.0.1:{port}"
    with FakeConnector(roster=[ALEX]) as connector:
        server = subprocess.Popen(
            [str(DEALCOACH), "run", "--teams"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: urllib.request.urlopen(f"{base}/healthz", timeout=1).status == 200)
            body = json.dumps(message(connector, "help")).encode()
            request = urllib.request.Request(
                f"{base}/api/messages", body, {"Content-Type": "application/json"}
            )
            assert urllib.request.urlopen(request, timeout=10).status == 202
            [reply] = wait_for(lambda: connector.posts)
        finally:
            server.send_signal(signal.SIGINT)
            _, stderr = server.communicate(timeout=20)
    assert server.returncode == 0, stderr
    assert "Here is what I understand" in reply.text
    assert reply.conversation_id == "a:1alex-personal-chat"
    assert "TEAMS LOCAL MODE" in stderr and "WITHOUT AUTHENTICATION" in stderr
    assert "dealcoach serving teams on http://127.0.0.1:" in stderr
