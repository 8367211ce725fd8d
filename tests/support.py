"""Helpers shared by tests (importable as `support`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Self

from sqlalchemy import select, text

from bot.bootstrap import FEATURES, App, build_app
from bot.engine.feature import Feature
from bot.engine.messages import Message
from bot.engine.text_render import render_text
from bot.infra.delivery import Delivered, SendResult
from bot.infra.server import Server
from bot.infra.services import Services
from bot.settings import load_settings
from coaching.clock import FixedClock
from coaching.playbook import load_playbook
from storage.db import Database
from storage.models import Base, OutboxMessage
from storage.outbox import OutboxItem
from storage.queries import find_person
from testkit.background import serving

# DEALCOACH_TOKEN_KEY for tests that store Slack tokens (a Fernet key, never a real one)
TOKEN_KEY = "WlHKxxAnzbseGhsUoibK38svM4iYwEl6mQdNskhU90g="


def make_services(database: Database, clock: FixedClock, **settings: object) -> Services:
    """Services on a test database and clock, with no chat or model configured."""
    values: dict[str, object] = {
        "database_url": database.url,
        "slack_bot_token": None,
        "microsoft_app_id": None,
        "openai_api_key": None,
        "openai_base_url": None,
    }
    return Services(
        settings=load_settings(**(values | settings)),
        database=database,
        playbook=load_playbook(),
        clock=clock,
    )


def with_stand_in(app: App, stand_in: Feature) -> App:
    """The app rebuilt on the same services with `stand_in` registered in place of the
    feature package of the same name (bot/<name>/): a feature plugged in the way every
    feature is, e.g. to watch what the engine hands a command."""
    kept = [factory for factory in FEATURES if factory.__module__ != f"bot.{stand_in.name}"]
    assert len(kept) == len(FEATURES) - 1, f"no feature package bot/{stand_in.name}/"
    return build_app(app.services, features=(*kept, lambda _context: stand_in))


def person_id(database: Database, who: str) -> int:
    with database.transaction() as session:
        person = find_person(session, who)
        assert person is not None, who
        return person.id


def outbox_rows(database: Database, recipient: str | None = None) -> list[OutboxMessage]:
    """Everything written to the outbox (for one recipient), oldest first."""
    with database.transaction() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient is not None:
            query = query.where(OutboxMessage.recipient == recipient)
        return list(session.scalars(query))


def message_of(row: OutboxMessage) -> Message:
    return Message.model_validate(row.payload["message"])


def texts(database: Database, recipient: str | None = None, kind: str = "message") -> list[str]:
    """The outbox messages of one kind, rendered as the console would print them."""
    return [
        render_text(message_of(row)) for row in outbox_rows(database, recipient) if row.kind == kind
    ]


def fresh_sqlite(template: Path, directory: Path) -> Database:
    path = directory / "dealcoach.sqlite3"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


def fresh_postgres(url: str) -> Database:
    database = Database(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return database


class ScriptedSender:
    """Our own port, faked: records sends; `script` decides each result."""

    transport = "test"

    def __init__(self, script: Callable[[OutboxItem], SendResult] | None = None) -> None:
        self.script = script or (lambda item: Delivered(f"ref-{item.key}"))
        self.sent: list[tuple[str, str, str | None]] = []
        self.items: list[OutboxItem] = []

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        result = self.script(item)
        self.items.append(item)
        if isinstance(result, Delivered):
            self.sent.append((item.key, message.summary, replaces))
        return result


# Every setting dealcoach reads starts with one of these (matched case-insensitively,
# as pydantic-settings matches names).
SETTING_PREFIXES = ("DEALCOACH_", "SLACK_", "MICROSOFT", "OPENAI_", "SMTP_")


def bare_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any dealcoach setting, plus `settings`: what
    `dealcoach` sees on a fresh machine, whatever the developer has exported."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith(SETTING_PREFIXES)
    } | settings


class RunningServer:
    """The app's HTTP server (built by the bootstrap) served on 127.0.0.1 with its one
    chat transport started; tests drive its delivery step by step, not its loop."""

    def __init__(self, server: Server) -> None:
        [self.chat] = server.transports
        self.server = server
        self.delivery = server.delivery
        self.url = ""
        self._served = AsyncExitStack()

    async def __aenter__(self) -> Self:
        self.url = await self._served.enter_async_context(serving(self.server.web_app))
        await self.chat.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.chat.stop()
        await self._served.aclose()
