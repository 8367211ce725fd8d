"""The bot's own words, loaded from replies*.yaml files (strings people read are data).

Each topic keeps its file (replies.yaml for the core, replies_<topic>.yaml for others);
a key defined twice is an error at load, so topics cannot silently override each other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

REPLIES_DIR = Path(__file__).parent


@cache
def _replies() -> dict[str, str]:
    replies: dict[str, str] = {}
    for path in sorted(REPLIES_DIR.glob("replies*.yaml")):
        for key, value in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if key in replies:
                raise ValueError(f"reply {key!r} in {path.name} is already defined elsewhere")
            replies[key] = str(value).rstrip("\n")
    return replies


def say(key: str, **values: object) -> str:
    """The reply `key` with its placeholders filled in."""
    return _replies()[key].format(**values)
