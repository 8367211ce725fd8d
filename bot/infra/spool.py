"""Where incoming messages wait while the database is unreachable.

The engine needs the database for everything it does, so when it cannot reach it
an incoming message is appended to a local file (one JSON line each, fsynced, under
an exclusive lock) and replayed, in order, once the database answers again. Event
ids make a replay safe: a message the engine had already handled is skipped.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy.exc import DBAPIError

from bot.engine.messages import Incoming

log = logging.getLogger(__name__)


def database_unreachable(error: BaseException) -> bool:
    """True for errors that mean 'cannot talk to the database', not 'bad data'."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or type(error.orig).__name__ in {
            "OperationalError",
            "InterfaceError",
        }
    return False


class InboxSpool:
    """An append-only file of incoming messages not yet handled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def keep(self, incoming: Incoming) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked("a") as file:
            file.write(incoming.model_dump_json() + "\n")
            file.flush()
            os.fsync(file.fileno())

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        with self._locked("r") as file:
            return sum(1 for line in file if line.strip())

    def replay(self, handle: Callable[[Incoming], object]) -> int:
        """Hand every kept message to `handle`, oldest first; stop at the first failure.

        Returns how many were handled; the rest stay for the next replay.
        """
        if not self.path.exists():
            return 0
        with self._locked("r+") as file:
            waiting = [Incoming.model_validate_json(line) for line in file if line.strip()]
            done = 0
            try:
                for incoming in waiting:
                    handle(incoming)
                    done += 1
            finally:
                file.seek(0)
                file.truncate()
                file.writelines(item.model_dump_json() + "\n" for item in waiting[done:])
                file.flush()
                os.fsync(file.fileno())
        if done:
            log.info("replayed %d message(s) kept while the database was unreachable", done)
        return done

    @contextmanager
    def _locked(self, mode: str) -> Iterator[IO[str]]:
        with self.path.open(mode, encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            try:
                yield file
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)


def describe(error: BaseException) -> str:
    """One line about a database error, without the statement and parameters."""
    original = getattr(error, "orig", error)
    return str(original).strip().splitlines()[0] if str(original).strip() else repr(original)
