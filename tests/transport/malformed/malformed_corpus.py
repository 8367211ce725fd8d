"""The corpus of malformed requests (tests/fixtures/malformed/*.yaml), read and built.

Each file has `defaults` and `cases`; a case names the request (method, path, body,
content type, signature or token) and what the server must answer (`expect`). Bodies
start from the real payload shapes in tests/fixtures/slack and tests/fixtures/teams,
which a case breaks with `set` and `delete` (dotted paths, list items by number).
tests/fixtures/malformed/README.md describes every key.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import string
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS = FIXTURES / "malformed"
APPS = ("local", "secured")
CONTENT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "payload": "application/x-www-form-urlencoded",
}
STREAM_CHUNK = 64 * 1024
# The only 5xx answers a case may expect: Bot Framework's "not implemented" for an
# invoke the bot does not handle, and "unavailable" while a dependency is unreachable.
DELIBERATE_5XX = (501, 503)
_ids = itertools.count(1)


@dataclass(frozen=True)
class Expect:
    """What the server must answer: the status, a phrase of the error body, the tables
    the request changes (none unless listed), a phrase of the reply it writes."""

    status: int
    error: str | None = None
    changes: frozenset[str] = frozenset()
    reply: str | None = None


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    reason: str
    apps: tuple[str, ...]
    platform: str
    method: str
    path: str
    spec: Mapping[str, Any]
    expect: Mapping[str, Expect]
    may_change: frozenset[str] = frozenset()  # tables an accepted request may refresh

    @property
    def id(self) -> str:
        return f"{self.file}:{self.name}"

    def expected(self, app: str) -> Expect:
        return self.expect[app]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Callable[[], AsyncIterator[bytes]] = b""


@dataclass(frozen=True)
class Environment:
    """What a built request needs from the running test: the signing secret, where
    Teams replies go, placeholder values (`${name}` in strings) and a token minter."""

    signing_secret: str
    service_url: str
    values: Mapping[str, str]
    mint_token: Callable[[Mapping[str, Any]], str]
    authenticated: bool = True  # Teams checks tokens (an app id is set)


def load_cases(directory: Path = CORPUS) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = document.get("defaults", {})
        names: set[str] = set()
        for raw in document["cases"]:
            spec = {**defaults, **raw}
            name = spec["name"]
            if name in names:
                raise ValueError(f"{path.name}: case {name!r} is there twice")
            if not spec.get("reason"):
                raise ValueError(f"{path.name}: case {name!r} gives no reason")
            names.add(name)
            apps = tuple(spec.get("apps", APPS))
            cases.append(
                Case(
                    file=path.stem,
                    name=name,
                    reason=spec["reason"],
                    apps=apps,
                    platform=spec.get("platform", "none"),
                    method=spec.get("method", "POST"),
                    path=spec.get("path", "/"),
                    spec=spec,
                    expect=_expectations(spec["expect"], apps),
                    may_change=frozenset(spec.get("may_change", ())),
                )
            )
    return cases


def _expectations(raw: Mapping[str, Any], apps: tuple[str, ...]) -> dict[str, Expect]:
    """One `expect` for every app, or one per app (keys are app names)."""
    per_app = raw if set(raw) <= set(APPS) else dict.fromkeys(apps, raw)
    return {app: _expect(per_app[app]) for app in apps}


def _expect(raw: Mapping[str, Any] | int) -> Expect:
    if isinstance(raw, int):
        raw = {"status": raw}
    if raw["status"] >= 500 and raw["status"] not in DELIBERATE_5XX:
        raise ValueError(f"no case may expect {raw['status']}: only {DELIBERATE_5XX}")
    return Expect(
        status=raw["status"],
        error=raw.get("error"),
        changes=frozenset(raw.get("changes", ())),
        reply=raw.get("reply"),
    )


# Building a request


def build(case: Case, env: Environment) -> Request:
    spec = case.spec
    body_spec = spec.get("body")
    encode = None
    original = body = b""
    if body_spec is not None:
        encode, original, body = _body(body_spec, case.platform, env)
    headers: dict[str, str] = {}
    content_type = spec.get("content_type", CONTENT_TYPES.get(encode or ""))
    if content_type is not None:
        headers["Content-Type"] = content_type
    if case.platform == "slack" and isinstance(body, bytes):
        headers |= _slack_signature(spec.get("sign", "valid"), original, body, env)
    if case.platform == "teams" and "auth" in spec:
        headers |= _teams_authorization(spec["auth"], env)
    headers |= _substitute(spec.get("headers", {}), env)
    path = _substitute(case.path if "query" not in spec else f"{case.path}?{spec['query']}", env)
    return Request(case.method, path, headers, body)


def _body(spec: Mapping[str, Any], platform: str, env: Environment):
    """(encoding, body before `set`/`delete`, body sent) from a body spec."""
    if "raw" in spec:
        raw = spec["raw"].encode("utf-8")
        return None, raw, raw
    if "base64" in spec:
        raw = base64.b64decode(spec["base64"])
        return None, raw, raw
    if "nested" in spec:
        depth = spec["nested"]
        raw = b'{"a":' * depth + b"1" + b"}" * depth
        return "json", raw, raw
    if "filler" in spec:
        raw = b'{"filler": "' + b"x" * spec["filler"] + b'"}'
        return "json", raw, raw
    if "stream" in spec:
        return "json", b"", _stream(spec["stream"])
    if "form" in spec:
        raw = urlencode(_substitute(spec["form"], env), doseq=True).encode()
        return "form", raw, raw
    if "json" in spec:
        raw = json.dumps(spec["json"]).encode()
        return "json", raw, raw
    value = _fixture(spec["fixture"], platform, env)
    encode = spec.get("encode", _default_encoding(spec["fixture"]))
    original = _encode(value, encode)
    for path in spec.get("delete", []):
        _delete(value, path)
    for path, item in spec.get("set", {}).items():
        _set(value, path, _generate(_substitute(item, env)))
    raw = _encode(value, encode)
    if "truncate" in spec:
        raw = raw[: spec["truncate"]]
    return encode, original, raw


def _stream(size: int) -> Callable[[], AsyncIterator[bytes]]:
    """A chunked body of `size` bytes that is never held in memory at once."""

    async def chunks() -> AsyncIterator[bytes]:
        sent = 0
        while sent < size:
            chunk = b"x" * min(STREAM_CHUNK, size - sent)
            sent += len(chunk)
            yield chunk

    return chunks


def _fixture(name: str, platform: str, env: Environment) -> Any:
    """A fixture with fresh ids (so no case is taken for a retry of another)."""
    value = json.loads((FIXTURES / platform / name).read_text(encoding="utf-8"))
    number = next(_ids)
    if platform == "teams":
        value["serviceUrl"] = env.service_url
        value["id"] = f"{value['id']}-malformed-{number}"
    elif "event_id" in value:
        value["event_id"] = f"EvMalformed{number:06d}"
    elif "trigger_id" in value and "command" in value:
        value["trigger_id"] = f"{number}.8901234567.malformed"
    if isinstance(value.get("view"), dict) and value.get("type") == "view_submission":
        value["view"]["id"] = f"VMalformed{number}"
    for action in value.get("actions", []):
        action["action_ts"] = f"{1795000000 + number}.000{number % 1000:03d}"
    return value


def _default_encoding(fixture: str) -> str:
    if fixture == "slash_command.json":
        return "form"
    if fixture.startswith(("block_actions", "view_")):
        return "payload"
    return "json"


def _encode(value: Any, encode: str) -> bytes:
    if encode == "json":
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    if encode == "payload":
        return urlencode({"payload": json.dumps(value)}).encode()
    if encode == "form":
        return urlencode(value).encode()
    raise ValueError(f"unknown encoding {encode!r}")


def _steps(path: str) -> list[str | int]:
    return [int(part) if part.isdecimal() else part for part in path.split(".")]


def _parent(value: Any, path: str) -> tuple[Any, str | int]:
    *steps, last = _steps(path)
    for step in steps:
        value = value[step]
    return value, last


def _set(value: Any, path: str, item: Any) -> None:
    parent, last = _parent(value, path)
    parent[last] = item


def _delete(value: Any, path: str) -> None:
    parent, last = _parent(value, path)
    del parent[last]


def _generate(item: Any) -> Any:
    """`{$repeat: [text, times]}` stands for a long string."""
    if isinstance(item, dict) and "$repeat" in item:
        text, times = item["$repeat"]
        return text * times
    return item


def _substitute(item: Any, env: Environment) -> Any:
    """`${name}` in strings: a placeholder value, or `${now}`, the Unix time."""
    if isinstance(item, str):
        values = {**env.values, "now": str(int(time.time()))}
        return string.Template(item).safe_substitute(values)
    if isinstance(item, dict):
        return {key: _substitute(value, env) for key, value in item.items()}
    if isinstance(item, list):
        return [_substitute(value, env) for value in item]
    return copy.deepcopy(item)


# Slack signatures and Teams tokens


def slack_headers(secret: str, body: bytes, at: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if at is None else at)
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def _slack_signature(
    sign: str | Mapping[str, Any], original: bytes, body: bytes, env: Environment
) -> dict[str, str]:
    """valid | none | {secret} | {age: seconds} | {replay: true} (the signature of the
    unmodified fixture) | {headers: literal headers}."""
    if sign == "valid":
        return slack_headers(env.signing_secret, body)
    if sign == "none":
        return {}
    assert isinstance(sign, Mapping), sign
    if "headers" in sign:
        return dict(_substitute(sign["headers"], env))
    if "secret" in sign:
        return slack_headers(sign["secret"], body)
    if "age" in sign:
        return slack_headers(env.signing_secret, body, int(time.time()) - sign["age"])
    if sign.get("replay"):
        return slack_headers(env.signing_secret, original)
    raise ValueError(f"unknown signature {sign!r}")


def _teams_authorization(auth: str | Mapping[str, Any], env: Environment) -> dict[str, str]:
    """none | valid (what a legitimate sender sends: a token when the bot checks them,
    none in the local mode) | {header: literal} | {token: options for the minter}."""
    if auth == "none" or (auth == "valid" and not env.authenticated):
        return {}
    if auth == "valid":
        return {"Authorization": env.mint_token({})}
    assert isinstance(auth, Mapping), auth
    if "header" in auth:
        return {"Authorization": auth["header"]}
    return {"Authorization": env.mint_token(auth["token"])}
