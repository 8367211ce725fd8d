"""Fixtures for the Teams transport tests: the fake connector and a Teams-enabled app."""

from collections.abc import Iterator

import pytest
from support import make_services
from teams_support import ROSTER

from bot.bootstrap import App, build_app
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo
from testkit.botframework_connector import FakeConnector


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    """A fresh fake Bot Framework connector on 127.0.0.1 whose tenant has ROSTER."""
    with FakeConnector(roster=list(ROSTER)) as fake:
        yield fake


@pytest.fixture
def teams_app(database: Database, clock: FixedClock) -> App:
    """The demo pipeline, with Teams on in its unauthenticated local mode (no app id)."""
    with database.transaction() as session:
        load_demo(session, clock.now())
    return build_app(make_services(database, clock, teams_local=True))
