"""Undo and corrections any time in the chat, outside a check-in: the deal named, else
that of the rep's latest answer to the field, else asked; confirmed like an answer and
recorded append-only (both backends)."""

from sqlalchemy import select
from support import person_id, texts

from bot.bootstrap import App
from bot.engine.messages import Incoming
from storage.models import Answer, CheckIn

ALEX = "alex@example.com"


def say(app: App, text: str) -> list[str]:
    database = app.services.database
    before = len(texts(database))
    app.engine.handle(Incoming(person_id=person_id(database, ALEX), text=text))
    return texts(database)[before:]


def click(app: App, action: str, value: str) -> list[str]:
    database = app.services.database
    before = len(texts(database))
    alex = person_id(database, ALEX)
    app.engine.handle(Incoming(person_id=alex, action=action, value=value, transport="slack"))
    return texts(database)[before:]


def history(app: App, field: str) -> list[tuple[str, bool]]:
    """Every answer to a field, oldest first: (value, superseded)."""
    with app.services.database.transaction() as session:
        rows = session.scalars(
            select(Answer).where(Answer.field == field, Answer.source != "demo").order_by(Answer.id)
        )
        return [(row.value, row.superseded_at is not None) for row in rows]


def answer_then_stop(app: App, *replies: str) -> None:
    say(app, "checkin")
    for reply in replies:
        say(app, reply)
    say(app, "stop")
    with app.services.database.transaction() as session:
        assert session.scalars(select(CheckIn).where(CheckIn.status == "open")).first() is None


def test_undo_outside_a_check_in_takes_back_the_last_answer(app: App) -> None:
    answer_then_stop(app, "Maria")
    replies = say(app, "undo")
    assert replies == [  # the demo's own answer before it is the current one again
        "↶ Took back Decision maker on Northwind fleet analytics: Maria Lopez"
        " (it is Maria Lopez again)"
    ]
    assert history(app, "authority") == [("Maria Lopez", True)]


def test_a_correction_outside_a_check_in_is_confirmed_then_recorded(app: App) -> None:
    answer_then_stop(app, "Maria")
    replies = say(app, "change decision maker to Priya Shah")
    assert replies[0].startswith(
        "Correct it on Northwind fleet analytics: record Priya Shah as decision maker?"
    )
    assert history(app, "authority") == [("Maria Lopez", False)]
    replies = say(app, "yes")
    assert replies[0].startswith("✓ Corrected Decision maker on Northwind fleet analytics: Priya")
    assert history(app, "authority") == [("Maria Lopez", True), ("Priya Shah", False)]
    replies = say(app, "undo")
    assert replies[0].endswith("Priya Shah (it is Maria Lopez again)")
    assert history(app, "authority") == [
        ("Maria Lopez", True),
        ("Priya Shah", True),
        ("Maria Lopez", False),
    ]


def test_no_and_the_button_outside_a_check_in(app: App) -> None:
    answer_then_stop(app, "Maria")
    say(app, "change decision maker to Priya Shah")
    assert say(app, "no") == ["OK, nothing changed."]
    assert history(app, "authority") == [("Maria Lopez", False)]
    say(app, "change decision maker to Priya Shah")
    replies = click(app, "confirm_correction", "0:yes")
    assert replies[0].startswith("✓ Corrected Decision maker on Northwind")
    assert click(app, "confirm_correction", "0:yes") == [
        "There is nothing waiting for a yes or no."
    ]
    assert history(app, "authority") == [("Maria Lopez", True), ("Priya Shah", False)]


def test_the_deal_named_is_corrected_fuzzily(app: App) -> None:
    answer_then_stop(app, "Maria")
    replies = say(app, "change the decision maker on nortwind to Tom")
    assert replies[0].startswith("✓ Corrected Decision maker on Northwind fleet analytics: Tom")
    assert history(app, "authority") == [("Maria Lopez", True), ("Tom Becker", False)]


def test_without_an_answer_to_go_by_it_asks_which_deal(app: App) -> None:
    replies = say(app, "change competitors to Zendesk")
    assert replies[0].startswith("Which deal's competitors? Name it")
    assert "Contoso service desk" in replies[0]
    assert history(app, "competitors") == []
    replies = say(app, "change the competitors on contoso to Zendesk")
    assert replies[0].startswith("✓ Corrected Competitors on Contoso service desk: Zendesk")
    assert history(app, "competitors") == [("Zendesk", False)]


def test_a_coach_question_is_not_read_as_a_correction(app: App) -> None:
    answer_then_stop(app, "Maria")
    replies = say(app, "what should I do about Northwind?")
    assert not any(reply.startswith(("Correct it", "✓ Corrected")) for reply in replies)
    assert history(app, "authority") == [("Maria Lopez", False)]


def test_no_i_meant_outside_a_check_in_corrects_the_last_answer(app: App) -> None:
    answer_then_stop(app, "Maria")
    replies = say(app, "no, I meant Tom")
    assert replies[0].startswith("✓ Corrected Decision maker on Northwind fleet analytics: Tom")
    assert history(app, "authority") == [("Maria Lopez", True), ("Tom Becker", False)]


def test_a_waiting_correction_is_dropped_when_the_rep_moves_on(app: App) -> None:
    answer_then_stop(app, "Maria")
    say(app, "change decision maker to Priya Shah")
    say(app, "what should I do about Northwind?")
    assert not any(reply.startswith("✓ Corrected") for reply in say(app, "yes"))
    assert history(app, "authority") == [("Maria Lopez", False)]


def test_the_deal_may_be_named_after_the_new_value(app: App) -> None:
    replies = say(app, "change competitors to Zendesk on Contoso")
    assert replies[0].startswith("✓ Corrected Competitors on Contoso service desk: Zendesk")
    assert history(app, "competitors") == [("Zendesk", False)]
