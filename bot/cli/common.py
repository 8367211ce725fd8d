"""What every `dealcoach` command shares: clear failures, settings, the built app.

Command modules import from here, never from each other or from bot/cli/main.py, so
the command groups do not import each other in a circle. Heavy stacks (Slack, Teams,
models) load inside the commands that need them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer

from bot.infra import logs
from bot.infra.private_files import secure_data_dir
from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.infra.services import Services

CLOSED_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `yes | head`
As = Annotated[str | None, typer.Option("--as", help="Your email or name (a rep or manager).")]


def plain_help_types() -> None:
    """`--help` shows an option's value as a word (`--manager NAME`, `--limit N`) and
    nothing after a flag, not Typer's Python types (`<str>`, `<bool>`, `<list[Path]>`)."""
    from typer.core import TyperArgument, TyperOption

    def option_type(self: TyperOption, ctx: object) -> str | None:
        if self.is_flag or self.count:
            return None
        return self.metavar or (self.name or "value").upper()

    def argument_type(self: TyperArgument, ctx: object) -> str | None:
        return None  # the argument's name is already in the first column

    TyperOption.display_type_rich = option_type  # type: ignore[method-assign]
    TyperArgument.display_type_rich = argument_type  # type: ignore[assignment,method-assign]


class QuietWhenClosed:
    """stdout for the `dealcoach` process: when the reader goes away (`| head`), the
    process ends at once, quietly (status 141, as a shell tool killed by SIGPIPE),
    instead of every later write failing with BrokenPipeError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            closed_pipe_exit()

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            closed_pipe_exit()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def closed_pipe_exit() -> NoReturn:
    """Exit now, without flushing into the closed pipe (no traceback, no retries)."""
    os._exit(CLOSED_PIPE)


def fail(message: str) -> NoReturn:
    """Print one clear line per problem and exit with status 2."""
    for line in message.splitlines():
        typer.echo(f"dealcoach: {line}", err=True)
    raise typer.Exit(2)


def settings_or_exit(**overrides: object) -> Settings:
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        fail(str(exc))
    logs.configure(settings.log_level, settings.log_format, sys.stderr)
    for noisy in ("alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return settings


def log_to_file(settings: Settings) -> Path:
    """In the terminal chat, the log goes to a file; only warnings interrupt the chat."""
    path = settings.data_dir / "dealcoach.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(logging.WARNING)
    root.addHandler(logs.file_handler(str(path), settings.log_format, settings.log_level.upper()))
    return path


def services_or_exit(*, migrate: bool = True, **overrides: object) -> Services:
    """Settings (with `overrides`), database and playbook, ready to use, or a clear
    error and exit."""
    from sqlalchemy.exc import OperationalError

    from bot.bootstrap import SchemaOutOfDate, build_services, prepare_database
    from coaching.playbook import PlaybookError
    from storage.sealing import TokenKeyError

    settings = settings_or_exit(**overrides)
    secure_data_dir(settings.data_dir)
    try:
        services = build_services(settings)
        if migrate:
            prepare_database(services)
    except PlaybookError as exc:
        fail(str(exc))
    except (SchemaOutOfDate, TokenKeyError) as exc:
        fail(str(exc))
    except OperationalError as exc:
        unreachable(settings.resolved_database_url, exc)
    return services


def shown_url(url: str) -> str:
    """A database URL fit to print: its password masked."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return logs.mask_secrets(url)


def unreachable(url: str, exc: Exception) -> NoReturn:
    """One line for a database that does not answer, never a traceback."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["no answer"]
    fail(f"cannot reach the database at {shown_url(url)}: {logs.mask_secrets(reason[0])}")


def seed_demo_if_empty(services: Services) -> None:
    from storage.demo import load_demo
    from storage.queries import deal_count

    with services.database.transaction() as session:
        if deal_count(session) == 0:
            count = load_demo(session, services.clock.now())
            typer.echo(f"The database was empty: loaded the demo pipeline ({count} deals).\n")
