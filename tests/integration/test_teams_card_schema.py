"""Every card the bot sends over Teams keeps the Adaptive Cards 1.5 rules Teams applies.

The rules are the schema's (https://adaptivecards.io/schemas/1.5.0/adaptive-card.json,
documented at learn.microsoft.com/adaptive-cards/schema-explorer), reduced to the
element and action types, properties and values a card of ours can use; plus the
behaviour rules: every input has a `label` (1.3+), a button that carries its own value
does not validate the card's required inputs (`associatedInputs: "none"`, else Teams
refuses Skip until an answer is picked), and no `code` span (Teams cards show the
backticks).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support import message_of, outbox_rows

from bot.bootstrap import App
from bot.engine.messages import Actions, Button, Choice, Incoming, Message, Question
from bot.teams.cards import is_plain, render_card
from storage.db import Database
from storage.queries import find_person

SPACING = {"none", "small", "default", "medium", "large", "extralarge", "padding"}
COMMON = {"type", "id", "isVisible", "separator", "spacing", "height", "fallback", "requires"}
INPUT = COMMON | {"label", "isRequired", "errorMessage", "value", "placeholder"}
ACTION = {"type", "id", "title", "iconUrl", "style", "fallback", "tooltip", "isEnabled"}
ACTION_STYLES = {"default", "positive", "destructive"}

# Each 1.5 element and action type with its properties (their `enum` values where a
# card of ours sets them). A type absent here is not in Adaptive Cards 1.5.
ELEMENTS: dict[str, set[str]] = {
    "TextBlock": COMMON
    | {"text", "wrap", "style", "size", "weight", "color", "isSubtle", "maxLines"}
    | {"horizontalAlignment", "fontType"},
    "RichTextBlock": COMMON | {"inlines", "horizontalAlignment"},
    "Image": COMMON | {"url", "altText", "size", "style", "width", "horizontalAlignment"},
    "Media": COMMON | {"sources", "poster", "altText"},
    "Container": COMMON | {"items", "style", "bleed", "minHeight", "selectAction", "rtl"},
    "ColumnSet": COMMON | {"columns", "style", "bleed", "minHeight", "selectAction"},
    "FactSet": COMMON | {"facts"},
    "ImageSet": COMMON | {"images", "imageSize"},
    "ActionSet": COMMON | {"actions"},
    "Table": COMMON | {"columns", "rows", "firstRowAsHeader", "showGridLines"},
    "Input.Text": INPUT | {"isMultiline", "maxLength", "style", "regex", "inlineAction"},
    "Input.Number": INPUT | {"min", "max"},
    "Input.Date": INPUT | {"min", "max"},
    "Input.Time": INPUT | {"min", "max"},
    "Input.Toggle": INPUT | {"title", "valueOn", "valueOff", "wrap"},
    "Input.ChoiceSet": INPUT | {"choices", "isMultiSelect", "style", "wrap"},
}
ACTIONS: dict[str, set[str]] = {
    "Action.Submit": ACTION | {"data", "associatedInputs"},
    "Action.Execute": ACTION | {"data", "associatedInputs", "verb"},
    "Action.OpenUrl": ACTION | {"url"},
    "Action.ShowCard": ACTION | {"card"},
    "Action.ToggleVisibility": ACTION | {"targetElements"},
}
ENUMS: dict[tuple[str, str], set[str]] = {
    ("TextBlock", "style"): {"default", "heading"},
    ("TextBlock", "size"): {"default", "small", "medium", "large", "extralarge"},
    ("TextBlock", "weight"): {"default", "lighter", "bolder"},
    ("Input.ChoiceSet", "style"): {"compact", "expanded", "filtered"},
}


def violations(card: dict[str, Any]) -> list[str]:
    """What in `card` breaks the rules above, one line each (empty: the card is valid)."""
    found: list[str] = []
    if (card.get("type"), card.get("version")) != ("AdaptiveCard", "1.5"):
        found.append("not a version 1.5 AdaptiveCard")
    elements = list(_walk(card.get("body", [])))
    required = any(element.get("isRequired") for element in elements)
    for element in elements:
        kind = element.get("type", "")
        if kind not in ELEMENTS:
            found.append(f"{kind!r} is not an Adaptive Cards 1.5 element")
            continue
        found += _properties(element, ELEMENTS[kind])
        if kind.startswith("Input.") and not (element.get("id") and element.get("label")):
            found.append(f"{kind} without an id and a label")
        for text in _texts(element):
            if "`" in text:
                found.append(f"a code span Teams shows literally: {text!r}")
        for action in element.get("actions", []):
            found += _action(action, required)
    return found


def _walk(elements: list[dict[str, Any]]) -> Any:
    for element in elements:
        yield element
        yield from _walk(element.get("items", []))
        for column in element.get("columns", []):
            yield from _walk(column.get("items", []))


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [action for element in _walk(card["body"]) for action in element.get("actions", [])]


def _properties(item: dict[str, Any], allowed: set[str]) -> list[str]:
    kind = item["type"]
    found = [f"{kind} has no property {key!r}" for key in item if key not in allowed]
    for key, value in item.items():
        choices = ACTION_STYLES if kind.startswith("Action.") and key == "style" else None
        choices = ENUMS.get((kind, key), choices)
        if key == "spacing":
            choices = SPACING
        if choices is not None and str(value).lower() not in choices:
            found.append(f"{kind}.{key} = {value!r} is not one of {sorted(choices)}")
    return found


def _texts(element: dict[str, Any]) -> list[str]:
    texts = [element.get("text", ""), element.get("label", "")]
    texts += [fact["title"] + fact["value"] for fact in element.get("facts", [])]
    texts += [choice["title"] for choice in element.get("choices", [])]
    texts += [action.get("title", "") for action in element.get("actions", [])]
    return texts


def _action(action: dict[str, Any], required: bool) -> list[str]:
    kind = action.get("type", "")
    if kind not in ACTIONS:
        return [f"{kind!r} is not an Adaptive Cards 1.5 action"]
    found = _properties(action, ACTIONS[kind])
    associated = action.get("associatedInputs", "auto")
    if associated not in {"auto", "none"}:
        found.append(f"associatedInputs = {associated!r} is not auto or none")
    carries_value = "value" in action.get("data", {})
    if required and carries_value and associated != "none":
        found.append(f"{action.get('title')!r} is blocked until the required input is filled")
    return found


def cards_sent(database: Database) -> list[dict[str, Any]]:
    """The card of every message in the outbox that Teams would get as a card."""
    messages = [message_of(row) for row in outbox_rows(database)]
    return [render_card(message) for message in messages if not is_plain(message)]


def say(app: App, who: str, *lines: str) -> None:
    with app.services.database.transaction() as session:
        person = find_person(session, who)
        assert person is not None
        person_id = person.id
    for line in lines:
        app.engine.handle(Incoming(person_id=person_id, text=line))


def test_every_card_the_bot_sends_keeps_the_rules(app: App) -> None:
    database = app.services.database
    say(app, "alex@example.com", "help", "deals", "checkin", "skip", "not sure", "skip")
    say(app, "alex@example.com", "skip", "skip", "deal contoso", "brief contoso", "snooze 1d")
    say(app, "dana@example.com", "help", "warnings", "digest", "team")
    now = app.services.clock.now()
    for tick in ("risk_scan", "digests", "briefings", "checkins"):
        app.tick(tick).run(now + dt.timedelta(days=2))
    cards = cards_sent(database)
    kinds = {element["type"] for card in cards for element in _walk(card["body"])}
    assert {"ActionSet", "TextBlock", "FactSet", "Input.ChoiceSet"} <= kinds, kinds
    titles = {action["title"] for card in cards for action in _actions(card)}
    assert {"Not sure", "Skip", "Approve"} <= titles, titles
    for card in cards:
        assert violations(card) == [], card


@pytest.mark.parametrize("kind", ["choice", "person", "date", "scale", "text"])
def test_skip_and_not_sure_never_wait_for_an_answer(kind: str) -> None:
    """A check-in question of every kind, with the buttons the check-ins put under it."""
    question = Question(
        ref="7",
        text="Who signs? Type `skip` to pass",
        kind=kind,  # type: ignore[arg-type]
        choices=(Choice(value="a", label="A"), Choice(value="b", label="B")),
        hint="or type `not sure`",
    )
    buttons = Actions(
        buttons=(
            Button(action="unsure", label="Not sure", value="7", command="not sure"),
            Button(action="skip", label="Skip", value="7", command="skip"),
        )
    )
    card = render_card(Message(summary="q", blocks=(question, buttons)))
    assert violations(card) == []
    skip = next(
        action
        for element in card["body"]
        for action in element.get("actions", [])
        if action["title"] == "Skip"
    )
    assert skip["associatedInputs"] == "none"
    assert "“skip”" in card["body"][0]["text"]


def test_the_rules_catch_what_teams_refuses() -> None:
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "Input.ChoiceSet", "id": "answer", "isRequired": True, "choices": []},
            {"type": "TextBlock", "text": "type `help`", "style": "loud"},
            {"type": "Carousel"},
            {
                "type": "ActionSet",
                "actions": [{"type": "Action.Submit", "title": "Skip", "data": {"value": "7"}}],
            },
        ],
    }
    assert violations(card) == [
        "Input.ChoiceSet without an id and a label",
        "TextBlock.style = 'loud' is not one of ['default', 'heading']",
        "a code span Teams shows literally: 'type `help`'",
        "'Carousel' is not an Adaptive Cards 1.5 element",
        "'Skip' is blocked until the required input is filled",
    ]
