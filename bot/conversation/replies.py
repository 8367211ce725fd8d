"""The engine's own words, loaded from replies.yaml (strings people read are data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

REPLIES_FILE = Path(__file__).with_name("replies.yaml")


@cache
def _replies() -> dict[str, str]:
    loaded = yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))
    return {key: str(value).rstrip("\n") for key, value in loaded.items()}


def say(key: str, **values: object) -> str:
    """The reply `key` with its placeholders filled in."""
    return _replies()[key].format(**values)
