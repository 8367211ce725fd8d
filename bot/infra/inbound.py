"""Request bodies from outside, checked before a chat SDK reads them.

Bolt and botbuilder trust their platform: they read `body["user"]["id"]` and the like,
so a body that is not JSON, or a field of the wrong type, raised deep inside the SDK
and became a 500. `strict_json` refuses what JSON itself refuses (NaN, Infinity) and
nesting too deep to parse; `first_problem` checks a parsed body against a table of
`Rule`s and names the first field that breaks one, so the sender learns what to fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_MISSING = object()
_KIND_NAMES = {
    "string": "a string",
    "object": "an object",
    "list": "a list",
    "boolean": "true or false",
    "null": "null",
    "url": "an http(s) URL",
}


class BadBody(ValueError):
    """The body cannot be read; the message says why."""


def strict_json(text: str, name: str = "the body") -> object:
    """The JSON value of `text`, or BadBody: also for NaN and Infinity, nesting too deep
    to parse, and strings no database column can hold (a NUL character, which
    PostgreSQL refuses, or half of a surrogate pair, which is not text at all)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise BadBody(f"{name} is JSON nested too deeply") from None
    except ValueError:
        raise BadBody(f"{name} is not valid JSON") from None
    problem = next(filter(None, (text_problem(each, name) for each in _strings(value))), None)
    if problem is not None:
        raise BadBody(problem)
    return value


def text_problem(text: str, name: str = "the body") -> str | None:
    """Why `text` cannot be stored, or None."""
    if "\x00" in text:
        return f"{name} contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"{name} contains half of a surrogate pair, which is not text"
    return None


def _strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, keys included (without recursion: any depth)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


@dataclass(frozen=True, slots=True)
class Rule:
    """What one field must be. `path` is dotted; `*` stands for every key of an object
    or item of a list. A required field must be present and, if a string or a list,
    not empty; a string longer than `max_length` (the column it ends up in) is refused.
    A field under a parent that is absent or of another type is not checked (the
    parent's own rule reports it)."""

    path: str
    kinds: tuple[str, ...]
    required: bool = False
    max_length: int | None = None


def rule(path: str, *kinds: str, required: bool = False, max_length: int | None = None) -> Rule:
    return Rule(path, kinds, required, max_length)


def first_problem(body: object, rules: Sequence[Rule]) -> str | None:
    """What is wrong with the first field that breaks a rule, or None."""
    for each in rules:
        for where, value in _values(body, each.path.split(".")):
            problem = _problem(where, value, each)
            if problem is not None:
                return problem
    return None


def _values(node: object, parts: list[str], where: str = "") -> Iterator[tuple[str, Any]]:
    if not parts:
        yield where, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, dict):
            items: Iterator[tuple[object, Any]] = iter(node.items())
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            return
        for key, value in items:
            if rest and not isinstance(value, dict | list):
                continue
            yield from _values(value, rest, f"{where}.{key}" if where else str(key))
        return
    if not isinstance(node, dict):
        return
    path = f"{where}.{head}" if where else head
    value = node.get(head, _MISSING)
    if not rest:
        yield path, value
    elif isinstance(value, dict | list):
        yield from _values(value, rest, path)


def _problem(where: str, value: object, each: Rule) -> str | None:
    missing = f"{where} is missing" if each.required else None
    if value is _MISSING or (value is None and each.required):
        return missing
    if not any(_is(kind, value) for kind in each.kinds):
        names = [_KIND_NAMES[kind] for kind in each.kinds]
        expected = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return f"{where} must be {expected}"
    if each.max_length is not None and isinstance(value, str) and len(value) > each.max_length:
        return f"{where} is longer than {each.max_length} characters"
    return missing if value in ("", []) else None


_TYPES: dict[str, type] = {"string": str, "object": dict, "list": list, "null": type(None)}


def _is(kind: str, value: object) -> bool:
    if kind == "url":
        return isinstance(value, str) and _is_http_url(value)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def _is_http_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        return False
