"""`dealcoach run` with Slack configured: the real entry point, in its own process,
talking only to the fake Slack (Web API and Socket Mode), never to slack.com."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from slack_harness import BOT_TOKEN, SIGNING_SECRET, message_event, signed_headers, text_of
from support import bare_environment

from testkit.slack_api import FakeSlack

APP_TOKEN = "xapp-1-A1-startup"
DEALCOACH = Path(sys.executable).with_name("dealcoach")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_dealcoach_run_serves_slack_in_both_modes(tmp_path: Path, slack: FakeSlack) -> None:
    slack.add_app_token(APP_TOKEN)
    port = free_port()
    environment = os.environ | {
        "DEALCOACH_DATABASE_URL": "",
        "DEALCOACH_DATA_DIR": str(tmp_path),
        "DEALCOACH_PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.base_url,
        "SLACK_CLIENT_ID": "",
        "SLACK_CLIENT_SECRET": "",
        "OPENAI_API_KEY": "",
        "OPENAI_BASE_URL": "",
        "MicrosoftAppId": "",
    }
    process = subprocess.Popen(
        [str(DEALCOACH), "run"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    output = ""
    try:
        wait_for(lambda: healthy(url))
        slack.wait_for_socket()  # Socket Mode connected through the fake's apps.connections.open
        body = json.dumps(message_event("hello", user="U9", channel="D9")).encode()
        request = urllib.request.Request(
            url + "/slack/events",
            data=body,
            headers={"Content-Type": "application/json", **signed_headers(body)},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        notice = wait_for(lambda: slack.posted("D9"))  # delivered by the server's outbox loop
        assert "dealcoach people link --slack U9" in text_of(notice[0].blocks)
    except AssertionError:
        process.kill()
        raise AssertionError(process.communicate(timeout=20)[0]) from None
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=20)[0]
    assert process.returncode == 0, output
    assert "Slack in Socket Mode" in output
    assert [call.token for call in slack.calls_to("apps.connections.open")] == [APP_TOKEN]


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": SIGNING_SECRET},
            "dealcoach: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-unknown"},
            "dealcoach: Slack refused SLACK_APP_TOKEN (invalid_auth): create an app-level token",
        ),
    ],
)
def test_a_refused_token_stops_dealcoach_run_with_what_to_fix(
    tmp_path: Path, slack: FakeSlack, tokens: dict[str, str], message: str
) -> None:
    environment = bare_environment() | {
        "DEALCOACH_DATA_DIR": str(tmp_path),
        "DEALCOACH_PORT": str(free_port()),
        "SLACK_API_URL": slack.base_url,
        **tokens,
    }
    result = subprocess.run(
        [str(DEALCOACH), "run"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
