"""What POST /slack/events lets through to Bolt.

Bolt reads a request the way Slack writes it. A body that was not UTF-8 JSON or a
form, a `payload=` field that was not a JSON object, a non-numeric timestamp header,
or a field of another type than Slack documents raised inside Bolt's parser, its
middleware or our listeners, and the sender got a 500. Each request is checked here
first, in this order: 415 for a content type Slack never sends, 401 for a request
not signed with our signing secret (the answer Bolt gives), 400 naming the field for
a signed body that Bolt or our listeners could not handle. The rules cover what Bolt
reads to route and authorize a request and what `listeners.py` reads from each kind.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Mapping
from urllib.parse import parse_qs, parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_bolt_request
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.infra.inbound import BadBody, Rule, first_problem, rule, strict_json, text_problem

log = logging.getLogger(__name__)
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
UNSIGNED = {"error": "invalid request"}  # what Bolt answers an unsigned request
MAX_AGE = 5 * 60  # seconds a signature stays valid (Slack's rule, and Bolt's)

# Slack ids (T..., U..., C...) are about 11 characters; the columns that keep them hold 50.
# Event ids, trigger ids and action timestamps become dedupe keys that hold 100.
ID_LENGTH = 50
KEY_LENGTH = 100
_TEXT = ("string", "null")
_WHO = ("object", "string", "null")
_WHO_KEYS = ("team", "enterprise", "user", "channel")


def _id(path: str, *kinds: str, required: bool = False) -> Rule:
    return rule(path, *(kinds or _TEXT), required=required, max_length=ID_LENGTH)


def _key(path: str, *kinds: str, required: bool = False) -> Rule:
    return rule(path, *(kinds or _TEXT), required=required, max_length=KEY_LENGTH)


# Every request: the fields Bolt reads to find the workspace, user and channel.
_ENVELOPE = (
    rule("type", "string", required=True),
    *(_id(key) for key in ("team_id", "enterprise_id", "user_id", "channel_id")),
    *(_id(key, *_WHO) for key in _WHO_KEYS),
    *(_id(f"{key}.{part}") for key in _WHO_KEYS for part in ("id", "team_id", "enterprise_id")),
    rule("is_enterprise_install", "boolean", "string", "null"),
    rule("authorizations", "list", "null"),
    rule("authorizations.*", "object"),
    *(_id(f"authorizations.*.{key}") for key in ("team_id", "enterprise_id", "user_id")),
    rule("authorizations.*.is_enterprise_install", "boolean", "null"),
    rule("response_urls", "list", "null"),
    rule("response_urls.*", "object"),
    _key("trigger_id"),
)
_EVENT = (
    _key("event_id", "string", required=True),
    rule("event", "object", required=True),
    rule("event.type", "string", required=True),
    *(_id(f"event.{key}", *_WHO) for key in ("user", "channel")),
    *(rule(f"event.{key}", *_TEXT) for key in ("subtype", "bot_id", "channel_type", "tab")),
    _id("event.team"),
    rule("event.text", *_TEXT),
)
# A DM or an App Home visit from a person: what the listeners read to answer them.
_FROM_A_PERSON = (_id("event.user", "string", required=True), _id("event.channel"))
_INTERACTION = (
    rule("user", "object", required=True),
    _id("user.id", "string", required=True),
    rule("channel", "object", "null"),
    rule("container", "object", "null"),
    rule("message", "object", "null"),
)
_STATE = (
    rule("view.state", "object", "null"),
    rule("view.state.values", "object", "null"),
    rule("view.state.values.*", "object"),
    rule("view.state.values.*.*", "object"),
    *(rule(f"view.state.values.*.*.{key}", *_TEXT) for key in ("type", "value", "selected_date")),
    rule("view.state.values.*.*.selected_option", "object", "null"),
    rule("view.state.values.*.*.selected_option.value", "string", required=True),
)
_VIEW = (
    rule("view", "object", "null"),
    rule("view.type", *_TEXT),
    *(_id(f"view.{key}") for key in ("team_id", "app_installed_team_id")),
)
_SUBMISSION = (
    *_VIEW,
    rule("view", "object", required=True),
    _key("view.id", "string", required=True),
    rule("view.callback_id", "string", required=True),
    rule("view.private_metadata", *_TEXT),
    *_STATE,
)
_ACTIONS = (
    rule("actions", "list", required=True),
    rule("actions.*", "object"),
    rule("actions.*.action_id", "string", required=True),
    *(rule(f"actions.*.{key}", *_TEXT) for key in ("type", "block_id", "value", "selected_date")),
    _key("actions.*.action_ts"),
    rule("actions.*.selected_option", "object", "null"),
    rule("actions.*.selected_option.value", "string", required=True),
)
RULES: dict[str, tuple[Rule, ...]] = {
    "url_verification": (rule("challenge", "string", required=True),),
    "event_callback": _EVENT,
    "block_actions": (*_INTERACTION, *_VIEW, *_ACTIONS),
    "view_submission": (*_INTERACTION, *_SUBMISSION),
    "view_closed": (*_INTERACTION, *_SUBMISSION),
}
# A slash command is a form: every value is a string; these must be there and fit.
COMMAND = (
    rule("command", "string", required=True),
    _id("user_id", "string", required=True),
    _key("trigger_id", "string", required=True),
    *(_id(key) for key in ("team_id", "channel_id", "enterprise_id")),
)


async def refusal(request: web.Request, signing_secret: str) -> web.Response | None:
    """The answer to a request Bolt must not see, or None to hand it to Bolt."""
    if request.content_type not in {JSON, FORM} or (request.charset or "utf-8") != "utf-8":
        return _error(415, f"send {JSON} or {FORM} in UTF-8, as Slack does")
    raw = await request.read()
    if not signed(signing_secret, raw, request.headers, time.time()):
        return web.json_response(UNSIGNED, status=401)
    problem = problem_with(raw, request.content_type)
    if problem is None:
        return None
    log.warning("refused a signed Slack request: %s", problem)
    return _error(400, problem)


async def bolt_request(request: web.Request) -> AsyncBoltRequest:
    """The request as Bolt should read it. Bolt takes any form whose text contains the
    word "payload" for an interaction and reads a slash command such as `/dealcoach deal
    payload-co`, or one typed in a #payload-team channel, as an empty body (404,
    unhandled): such a command is read again as the form it is."""
    bolt = await to_bolt_request(request)
    if request.content_type == FORM and not bolt.body:
        fields = dict(parse_qsl(bolt.raw_body, keep_blank_values=True))
        if "payload" not in fields:
            bolt.body = fields
            bolt.context = build_async_context(AsyncBoltContext(), fields)
    return bolt


def signed(secret: str, raw: bytes, headers: Mapping[str, str], now: float) -> bool:
    """Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>`, at most
    MAX_AGE old. Computed on the bytes, so any body can be checked (slack_sdk decodes
    it as UTF-8 first, and int()s the timestamp header, both raising on bad input)."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdecimal()) or abs(now - int(timestamp)) > MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogateescape"))


def problem_with(raw: bytes, content_type: str) -> str | None:
    """Why Bolt or our listeners could not handle this body, or None."""
    try:
        text = raw.decode("utf-8")
        if content_type == JSON:
            return _payload_problem(strict_json(text))
        return _form_problem(parse_qs(text, keep_blank_values=True))
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    except BadBody as exc:
        return str(exc)


def _form_problem(fields: dict[str, list[str]]) -> str | None:
    """A form is an interaction (one `payload` field), a slash command or an SSL check."""
    if "payload" in fields:
        if len(fields["payload"]) != 1:
            return "send one payload field"
        return _payload_problem(strict_json(fields["payload"][0], "payload"), "payload")
    if "ssl_check" in fields:
        return None
    values = {name: items[0] for name, items in fields.items()}
    texts = [*values, *values.values()]
    problem = next(filter(None, (text_problem(text, "the form") for text in texts)), None)
    return problem or first_problem(values, COMMAND)


def _payload_problem(body: object, name: str = "the body") -> str | None:
    if not isinstance(body, dict):
        return f"{name} must be a JSON object"
    problem = first_problem(body, _ENVELOPE) or first_problem(body, RULES.get(body["type"], ()))
    if problem is None and body["type"] == "event_callback" and _from_a_person(body["event"]):
        problem = first_problem(body, _FROM_A_PERSON)
    return problem


def _from_a_person(event: dict) -> bool:
    """An App Home visit, or a message that is neither a bot's nor a changed one."""
    if event["type"] == "app_home_opened":
        return True
    return event["type"] == "message" and not (event.get("subtype") or event.get("bot_id"))


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
