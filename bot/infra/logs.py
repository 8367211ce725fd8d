"""Logging set up once per process: plain text for people, or one JSON object a line
(`DEALCOACH_LOG_FORMAT=json`) for a log pipeline. Lines written while the engine
handles a message carry its event id and the person's id (context variables, so each
thread and asyncio task has its own)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(about)s"
EVENT_ID: ContextVar[str | None] = ContextVar("dealcoach_event_id", default=None)
PERSON_ID: ContextVar[int | None] = ContextVar("dealcoach_person_id", default=None)


@contextmanager
def about(*, event_id: str | None = None, person_id: int | None = None) -> Iterator[None]:
    """Every line logged inside names this event and person."""
    tokens = EVENT_ID.set(event_id), PERSON_ID.set(person_id)
    try:
        yield
    finally:
        EVENT_ID.reset(tokens[0])
        PERSON_ID.reset(tokens[1])


class WithContext(logging.Filter):
    """Puts the event and person ids on each record (`about`: them, for text lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = {"event_id": EVENT_ID.get(), "person_id": PERSON_ID.get()}
        record.__dict__.update(ids)
        known = [f"{name[:-3]}={value}" for name, value in ids.items() if value is not None]
        record.__dict__["about"] = f" [{' '.join(known)}]" if known else ""
        return True


# Secrets as they appear in log lines (ours and the SDKs', at any level): Slack tokens,
# bearer and JWT tokens, sealed tokens, passwords in URLs, and `"name": "value"` or
# `name=value` pairs whose name says secret.
_NAME = r"[\w-]*(?:token|secret|password|passwd|api_key|apikey)[\w-]*"
_SECRETS = (
    (re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+"), r"\1-***"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 ***"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "***jwt***"),
    (re.compile(r"fernet:[A-Za-z0-9_=-]+"), "fernet:***"),
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+@"), r"\1***@"),
    (re.compile(rf"(?i)([\"']{_NAME}[\"']\s*:\s*[\"']?)([^\"'\s,}}]+)"), r"\1***"),
    (re.compile(rf"(?i)(\b{_NAME}=)([^\s&,;]+)"), r"\1***"),
)


def mask_secrets(text: str) -> str:
    """`text` with every secret it shows replaced by ***."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecrets(logging.Filter):
    """Masks secrets in the message and the traceback of every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, and the event id,
    person id and exception when there are."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("event_id", "person_id"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def formatter(kind: str) -> logging.Formatter:
    return JsonLines() if kind == "json" else logging.Formatter(TEXT_FORMAT)


def handler(stream: TextIO | None, kind: str, level: str | int = logging.NOTSET) -> logging.Handler:
    """A stream handler writing `kind` lines ("text" or "json") with the context."""
    made = logging.StreamHandler(stream)
    return _dressed(made, kind, level)


def file_handler(path: str, kind: str, level: str | int) -> logging.Handler:
    return _dressed(logging.FileHandler(path, encoding="utf-8"), kind, level)


def _dressed(made: logging.Handler, kind: str, level: str | int) -> logging.Handler:
    made.setFormatter(formatter(kind))
    made.addFilter(WithContext())
    made.addFilter(MaskSecrets())
    made.setLevel(level)
    return made


def configure(level: str, kind: str, stream: TextIO) -> None:
    """The root logger writes `kind` lines to `stream` from `level` up."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler(stream, kind))
    root.setLevel(level.upper())
