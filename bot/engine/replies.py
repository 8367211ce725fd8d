"""The bot's own words, loaded from replies*.yaml files (strings people read are data).

Each package of bot/ keeps its own words beside its code (bot/engine/replies.yaml for
the engine, bot/checkins/replies.yaml, bot/slack/replies.yaml...); a key defined twice
is an error at load, so packages cannot silently override each other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

BOT_DIR = Path(__file__).parents[1]


@cache
def _replies() -> dict[str, str]:
    replies: dict[str, str] = {}
    for path in sorted(BOT_DIR.rglob("replies*.yaml")):
        for key, value in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if key in replies:
                where = path.relative_to(BOT_DIR.parent)
                raise ValueError(f"reply {key!r} in {where} is already defined elsewhere")
            replies[key] = str(value).rstrip("\n")
    return replies


def say(key: str, **values: object) -> str:
    """The reply `key` with its placeholders filled in."""
    return _replies()[key].format(**values)
