"""The security regression suite (issue 15): one test per finding, named `test_fNN_...`.

The Slack and Teams harnesses of tests/transport/ are reused as they are: their
directories go on sys.path here, as their own conftest files put them for their tests.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TRANSPORT = Path(__file__).resolve().parents[1] / "transport"
for harness in ("slack", "teams"):
    if str(TRANSPORT / harness) not in sys.path:
        sys.path.insert(0, str(TRANSPORT / harness))

from slack_harness import BOT_TOKEN, TEAM  # noqa: E402

from coaching.clock import FixedClock  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.demo import load_demo  # noqa: E402
from testkit.slack_api import FakeSlack  # noqa: E402


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fake Slack with the bot's workspace T1, where Alex and Dana of the demo team are."""
    with FakeSlack() as server:
        server.add_workspace(TEAM, BOT_TOKEN)
        server.add_user("U1", "alex@example.com", team=TEAM, name="Alex Rivera")
        server.add_user("U2", "dana@example.com", team=TEAM, name="Dana Whitfield")
        server.add_channel("C1", TEAM)
        yield server


@pytest.fixture
def demo_database(database: Database, clock: FixedClock) -> Database:
    with database.transaction() as session:
        load_demo(session, clock.now())
    return database
