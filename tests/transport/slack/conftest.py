"""Fixtures for the Slack transport tests: a fake Slack, and the bot on the demo pipeline."""

from collections.abc import Iterator

import pytest
from slack_harness import BOT_TOKEN, TEAM, slack_app

from bot.bootstrap import App
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo
from testkit.slack_api import FakeSlack


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fake Slack with one workspace; Alex and Dana (of the demo team) are its users."""
    with FakeSlack() as server:
        server.add_workspace(TEAM, BOT_TOKEN)
        server.add_user("U1", "alex@example.com", team=TEAM, name="Alex Rivera")
        server.add_user("U2", "dana@example.com", team=TEAM, name="Dana Whitfield")
        server.add_user("U9", "visitor@elsewhere.example", team=TEAM, name="Vic Visitor")
        server.add_channel("C1", TEAM)
        yield server


@pytest.fixture
def demo_database(database: Database, clock: FixedClock) -> Database:
    with database.transaction() as session:
        load_demo(session, clock.now())
    return database


@pytest.fixture
def slack_bot(demo_database: Database, clock: FixedClock, slack: FakeSlack) -> App:
    """The bot's app on the demo pipeline, configured for Slack HTTP mode."""
    return slack_app(demo_database, clock, slack)
