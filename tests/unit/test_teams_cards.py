"""Adaptive Card rendering of neutral messages, and submissions read back as actions."""

import json

import pytest

from bot.engine.messages import (
    Actions,
    Button,
    Choice,
    Facts,
    Heading,
    Message,
    Paragraph,
    Question,
)
from bot.teams.cards import (
    ANSWER_INPUT,
    VERSION,
    is_plain,
    markdown,
    plain_text,
    read_submission,
    render_card,
)


def question(kind: str, *choices: tuple[str, str], hint: str | None = "a hint") -> Message:
    return Message(
        summary="q",
        blocks=(
            Question(
                ref="7",
                text="Is the *money* there?",
                kind=kind,  # type: ignore[arg-type]
                choices=tuple(Choice(value=value, label=label) for value, label in choices),
                hint=hint,
            ),
        ),
    )


def of_type(card: dict, kind: str) -> list[dict]:
    return [element for element in card["body"] if element["type"] == kind]


def submitted(card: dict, **inputs: str) -> dict:
    """What Teams sends for the card's form: the Submit action's data plus the inputs."""
    [form] = [
        action
        for element in of_type(card, "ActionSet")
        for action in element["actions"]
        if "question" in action["data"]
    ]
    return {**form["data"], **inputs}


def test_a_card_is_versioned_json_with_headings_text_and_fact_sets() -> None:
    card = render_card(
        Message(
            summary="Contoso",
            blocks=(
                Heading(text="Contoso service desk"),
                Paragraph(text="*Proposal* · $46,000"),
                Facts(rows=(("Money", "next year (today)"), ("Champion", "*missing*"))),
            ),
        )
    )
    assert json.loads(json.dumps(card)) == card
    assert (card["type"], card["version"]) == ("AdaptiveCard", VERSION)
    heading, paragraph, facts = card["body"]
    assert heading["style"] == "heading" and heading["text"] == "Contoso service desk"
    assert paragraph == {"type": "TextBlock", "text": "**Proposal** · $46,000", "wrap": True}
    assert facts["facts"] == [
        {"title": "Money", "value": "next year (today)"},
        {"title": "Champion", "value": "**missing**"},
    ]


def test_a_choice_question_is_a_choice_set_whose_submit_becomes_an_answer() -> None:
    card = render_card(question("choice", ("confirmed", "Confirmed"), ("none", "No budget")))
    [choices] = of_type(card, "Input.ChoiceSet")
    assert choices["id"] == ANSWER_INPUT and choices["isRequired"]
    assert choices["choices"] == [
        {"title": "Confirmed", "value": "confirmed"},
        {"title": "No budget", "value": "none"},
    ]
    assert card["body"][0]["text"] == "Is the **money** there?"
    assert card["body"][-1]["text"] == "a hint"
    assert read_submission(submitted(card, answer="none")) == ("answer", "7:none")


def test_a_choice_form_without_its_input_is_not_an_answer() -> None:
    card = render_card(question("person", ("Maria Lopez", "Maria Lopez")))
    assert read_submission(submitted(card)) is None
    assert read_submission(submitted(card, answer="  ")) is None


def test_a_scale_is_a_row_of_one_tap_buttons() -> None:
    card = render_card(question("scale", ("1", "1 · never met"), ("2", "2"), ("5", "5 · close")))
    assert not of_type(card, "Input.ChoiceSet")
    [row] = of_type(card, "ActionSet")
    assert [action["title"] for action in row["actions"]] == ["1 · never met", "2", "5 · close"]
    assert [read_submission(action["data"]) for action in row["actions"]] == [
        ("answer", "7:1"),
        ("answer", "7:2"),
        ("answer", "7:5"),
    ]


def test_a_date_question_is_a_date_input_answered_with_the_iso_date() -> None:
    card = render_card(question("date"))
    [date] = of_type(card, "Input.Date")
    assert (date["id"], date["isRequired"]) == (ANSWER_INPUT, True)
    assert read_submission(submitted(card, answer="2026-12-15")) == ("answer", "7:2026-12-15")


def test_a_free_text_question_has_no_input_only_its_hint() -> None:
    card = render_card(question("text"))
    assert [element["type"] for element in card["body"]] == ["TextBlock", "TextBlock"]
    assert not of_type(card, "ActionSet")


@pytest.mark.parametrize(
    ("button", "style"),
    [
        (Button(action="unsure", label="Not sure", value="7", command="not sure"), None),
        (
            Button(
                action="approve_briefing",
                label="Approve",
                value="41",
                command="approve 41",
                style="primary",
            ),
            "positive",
        ),
        (
            Button(
                action="warning_feedback",
                label="Not useful",
                value="12:not_useful",
                command="feedback 12 not useful",
                style="danger",
            ),
            "destructive",
        ),
    ],
)
def test_any_button_submits_its_action_and_value(button: Button, style: str | None) -> None:
    card = render_card(Message(summary="s", blocks=(Actions(buttons=(button,)),)))
    [row] = of_type(card, "ActionSet")
    [action] = row["actions"]
    assert (action["type"], action["title"], action.get("style")) == (
        "Action.Submit",
        button.label,
        style,
    )
    assert read_submission(action["data"]) == (button.action, button.value)


@pytest.mark.parametrize(
    "data", [None, "answer", [], {}, {"action": ""}, {"action": 3}, {"value": "7"}]
)
def test_foreign_submissions_are_ignored(data: object) -> None:
    assert read_submission(data) is None


def test_markup_becomes_teams_markdown() -> None:
    assert markdown("*Northwind* in _Negotiation_, type `help`") == (
        "**Northwind** in _Negotiation_, type `help`"
    )
    assert markdown("2*3*4 and a*b") == "2*3*4 and a*b"


def test_paragraph_only_messages_are_sent_as_text() -> None:
    message = Message(
        summary="s", blocks=(Paragraph(text="*Snoozed*\n• one"), Paragraph(text="two"))
    )
    assert is_plain(message) and is_plain(Message.text("hi"))
    assert plain_text(message) == "**Snoozed**\n\n• one\n\ntwo"
    assert not is_plain(question("choice", ("a", "A")))
