"""The coach's own words, loaded from wording.yaml: headings, line templates, replies.

Nested YAML keys read as dotted names (`review.title`). A template's placeholders are
filled with facts (see text.py), so every figure or name in a reply is a cited fact.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from coaching.coach.text import Line, Slot, TemplateError, fill
from coaching.data_files import read_yaml_mapping

WORDING_FILE = Path(__file__).with_name("wording.yaml")


class CoachWordingError(Exception):
    """A coach wording file is unreadable or invalid; the message says where."""


class CoachWording:
    """Dotted keys to strings (or lists of strings), with template filling."""

    def __init__(self, entries: dict[str, str | tuple[str, ...]], source: Path) -> None:
        self.entries = entries
        self.source = source

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise CoachWordingError(f"{self.source}: {key} is a list, not one text")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        return value if isinstance(value, tuple) else (value,)

    def fill(self, key: str, **slots: Slot) -> Line:
        try:
            return fill(self.text(key), slots)
        except TemplateError as exc:
            raise CoachWordingError(f"{self.source}: {key}: {exc}") from None

    def _get(self, key: str) -> str | tuple[str, ...]:
        try:
            return self.entries[key]
        except KeyError:
            raise CoachWordingError(f"{self.source} has no text {key!r}") from None


def flatten(
    raw: dict[str, Any], source: Path, prefix: str = ""
) -> dict[str, str | tuple[str, ...]]:
    """Nested mappings to dotted keys; leaves must be strings or lists of strings."""
    entries: dict[str, str | tuple[str, ...]] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            entries.update(flatten(value, source, f"{name}."))
        elif isinstance(value, str):
            entries[name] = value.rstrip("\n")
        elif isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            entries[name] = tuple(item.rstrip("\n") for item in value)
        else:
            raise CoachWordingError(f"{source}: {name} must be a text or a list of texts")
    return entries


def load_wording(path: Path = WORDING_FILE) -> CoachWording:
    raw = read_yaml_mapping(path, "coach wording", CoachWordingError, "texts by key")
    return CoachWording(flatten(raw, path), path)


@cache
def default_wording() -> CoachWording:
    return load_wording()
