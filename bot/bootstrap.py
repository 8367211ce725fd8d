"""The composition root: builds every part from settings. Nothing connects at import."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from coaching.clock import Clock, SystemClock
from coaching.playbook import Playbook, load_playbook
from storage.db import Database


class SchemaOutOfDate(Exception):
    """The database schema is older than this code; the message says how to fix it."""


@dataclass
class Services:
    """What every use case needs: settings, the database, the playbook, the clock."""

    settings: Settings
    database: Database
    playbook: Playbook
    clock: Clock


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    return Services(
        settings=settings,
        database=Database(settings.resolved_database_url),
        playbook=load_playbook(settings.playbook_path),
        clock=clock or SystemClock(),
    )


def prepare_database(services: Services) -> None:
    """Migrate the embedded SQLite database; refuse to run on an outdated external one."""
    from storage.migrate import current_revision, head_revision, upgrade

    database = services.database
    if services.settings.is_embedded_database:
        upgrade(database)
        return
    current = current_revision(database)
    if current != head_revision():
        raise SchemaOutOfDate(
            f"the database schema is at {current or 'nothing'}, this version needs "
            f"{head_revision()}: run `dealcoach db upgrade`"
        )
