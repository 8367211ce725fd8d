"""Shared fixtures: real databases (SQLite always, PostgreSQL when configured).

`database` runs a test on both backends. PostgreSQL tests skip only when
DEALCOACH_TEST_POSTGRES_URL is unset; when it is set and the server does not answer,
they fail. Each test session works in its own PostgreSQL schema, so parallel runs
on one server do not see each other.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from support import fresh_postgres, fresh_sqlite, make_services

from bot.bootstrap import App, build_app
from bot.infra.services import Services
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo
from storage.migrate import upgrade
from testkit.crm_sample import crm_sample_dir

POSTGRES_URL = os.environ.get("DEALCOACH_TEST_POSTGRES_URL")
CRM_SAMPLE = crm_sample_dir()


@pytest.fixture(scope="session")
def crm_sample() -> Path:
    """The public CRM export, read in place (never copied into the project)."""
    if not (CRM_SAMPLE / "sales_pipeline.csv").exists():
        pytest.fail(f"the CRM sample is missing at {CRM_SAMPLE}")
    return CRM_SAMPLE


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated, private schema on the configured PostgreSQL server."""
    if not POSTGRES_URL:
        pytest.skip("DEALCOACH_TEST_POSTGRES_URL is not set")
    schema = f"dealcoach_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        pytest.fail(f"DEALCOACH_TEST_POSTGRES_URL is set but PostgreSQL did not answer: {exc}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database: the test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        db = fresh_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        db = fresh_postgres(request.getfixturevalue("postgres_url"))
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated SQLite database, for tests that need no second backend."""
    db = fresh_sqlite(sqlite_template, tmp_path)
    yield db
    db.dispose()


MONDAY_MORNING = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)  # 08:00 in New York


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_MORNING)


@pytest.fixture
def demo_services(database: Database, clock: FixedClock) -> Services:
    """The shipped demo pipeline, loaded at the fixed clock's time."""
    with database.transaction() as session:
        load_demo(session, clock.now())
    return make_services(database, clock)


@pytest.fixture
def app(demo_services: Services) -> App:
    return build_app(demo_services)
