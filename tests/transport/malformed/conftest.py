"""Fixtures for the malformed-request corpus: one seeded database per backend for the
whole module (each case compares the database before and after itself), the fakes of
Slack and the Bot Framework connector, and a Bot Framework signing key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from malformed_server import fake_slack, new_key, published, seed
from support import fresh_postgres, fresh_sqlite

from coaching.clock import FixedClock
from storage.db import Database
from testkit.botframework_connector import FakeConnector
from testkit.slack_api import FakeSlack


@pytest.fixture(scope="module")
def fixed_clock() -> FixedClock:
    """The suite's Monday morning (tests/conftest.py's `clock`, for the whole module)."""
    return FixedClock(dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fixed_clock: FixedClock,
) -> Iterator[tuple[Database, dict[str, str]]]:
    """(database, placeholder values): the seeded database, on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        database = fresh_sqlite(template, tmp_path_factory.mktemp("malformed"))
    else:
        database = fresh_postgres(request.getfixturevalue("postgres_url"))
    values = seed(database, fixed_clock)
    yield database, values
    database.dispose()


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with fake_slack() as server:
        yield server


@pytest.fixture(scope="module")
def connector() -> Iterator[FakeConnector]:
    with FakeConnector() as fake:
        yield fake


@pytest.fixture(scope="module")
def signing_key():
    """A key botbuilder trusts for the module, as if fetched from Microsoft."""
    key = new_key()
    with published(key):
        yield key
