"""manifest.yml against the code: the command, events, interactivity and exactly the scopes
the code needs (every Web API method it calls is covered; no scope is unused)."""

import ast
from pathlib import Path

import yaml
from slack_sdk.web.async_client import AsyncWebClient
from support import make_services

from bot.bootstrap import build_app
from bot.slack import listeners
from bot.slack.scopes import BOT_SCOPES, COMMAND_SCOPE, EVENT_SCOPES, METHOD_SCOPES
from coaching.clock import FixedClock
from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
# Called for us by Bolt and slack_sdk, not in bot/slack/ source: authorizing requests
# (auth.test), the OAuth redirect (oauth.v2.access), opening Socket Mode.
CALLED_BY_THE_SDK = {"auth.test", "oauth.v2.access", "apps.connections.open"}
ALIASES = {"check-in"}  # a second spelling of `checkin`
EVENTS = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def web_api_methods_called() -> set[str]:
    """Web API methods named in bot/slack/ calls (`client.chat_postMessage(...)`)."""
    client_methods = {
        name
        for name in dir(AsyncWebClient)
        if not name.startswith("_") and callable(getattr(AsyncWebClient, name))
    } - {"api_call"}
    called: set[str] = set()
    for path in (ROOT / "bot" / "slack").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in client_methods
            ):
                called.add(node.func.attr.replace("_", "."))
    return called


def test_the_scan_sees_the_calls_it_should() -> None:
    called = web_api_methods_called()
    assert {"chat.postMessage", "chat.update", "users.lookupByEmail", "views.publish"} <= called


def test_every_web_api_method_the_code_calls_is_covered_by_a_scope() -> None:
    called = web_api_methods_called() | CALLED_BY_THE_SDK
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add these methods and their scopes to bot/slack/scopes.py: {unknown}"
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    for method in called:
        missing = set(METHOD_SCOPES[method]) - granted
        assert not missing, f"{method} needs {missing}, which manifest.yml does not request"


def test_no_scope_is_requested_that_nothing_uses() -> None:
    called = web_api_methods_called() | CALLED_BY_THE_SDK
    assert not set(METHOD_SCOPES) - called, "scopes.py lists methods the code no longer calls"
    needed = (
        {scope for method in called for scope in METHOD_SCOPES[method]}
        | {scope for event in EVENTS for scope in EVENT_SCOPES[event]}
        | {COMMAND_SCOPE}
    )
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed
    assert set(BOT_SCOPES) == needed  # what the OAuth install flow asks for


def test_every_event_the_code_listens_to_is_subscribed_and_no_other() -> None:
    assert set(listeners.BOT_EVENTS.values()) == EVENTS
    assert set(EVENT_SCOPES) == EVENTS


def test_the_slash_command_and_its_subcommands(
    sqlite_database: Database, clock: FixedClock
) -> None:
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == listeners.SLASH_COMMAND
    assert command["should_escape"] is False  # the engine reads plain text
    engine = build_app(make_services(sqlite_database, clock)).engine  # every command installed
    hint = command["usage_hint"].split()
    missing = [word for word in engine.commands if word not in hint and word not in ALIASES]
    assert not missing, f"the slash command's usage_hint should mention {missing}"


def test_clicks_modals_home_and_dms_are_switched_on() -> None:
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True  # actions and views
    app_home = MANIFEST["features"]["app_home"]
    assert app_home["home_tab_enabled"] is True  # app_home_opened -> views.publish
    assert app_home["messages_tab_enabled"] is True  # message.im
    assert app_home["messages_tab_read_only_enabled"] is False
    assert MANIFEST["features"]["bot_user"]["display_name"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is True  # two tokens, no public URL
    assert 174 <= len(MANIFEST["display_information"]["long_description"]) <= 4000
    assert len(MANIFEST["display_information"]["description"]) <= 140
