"""The check-in reads replies as a person would (coaching/understanding): sure facts
are recorded and echoed, likely ones confirmed first, nothing unsure is recorded, and
answers are corrected append-only (both backends)."""

from sqlalchemy import select
from support import person_id, texts

from bot.bootstrap import App
from bot.engine.messages import Incoming
from storage.models import Answer, CheckIn, CheckInQuestion

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


def asked_id(app: App) -> int:
    with app.services.database.transaction() as session:
        return session.scalars(
            select(CheckInQuestion.id)
            .join(CheckIn)
            .where(CheckIn.status == "open", CheckInQuestion.status == "asked")
        ).one()


def test_a_likely_reading_is_confirmed_before_it_is_recorded(app: App) -> None:
    say(app, "checkin")
    replies = say(app, "their finance chief I think")
    assert replies[0].startswith("Record Maria Lopez (CFO) as decision maker?")
    assert history(app, "authority") == []
    assert say(app, "yes")[0].startswith("✓ Decision maker: Maria Lopez")
    assert history(app, "authority") == [("Maria Lopez", False)]


def test_no_records_nothing_and_edit_asks_again(app: App) -> None:
    say(app, "checkin")
    say(app, "their finance chief I think")
    replies = say(app, "no")
    assert replies[0].startswith("OK, nothing recorded.")
    assert "who makes the final decision?" in replies[0]
    say(app, "their finance chief I think")
    assert say(app, "change")[0].startswith("OK: type it the way it should read.")
    assert say(app, "Maria")[0].startswith("✓ Decision maker: Maria Lopez")
    assert history(app, "authority") == [("Maria Lopez", False)]


def test_a_proposal_is_confirmed_with_a_button_and_no_model_call(app: App) -> None:
    say(app, "checkin")
    question = asked_id(app)
    say(app, "their finance chief I think")
    replies = click(app, "confirm", f"{question}:yes")
    assert any(reply.startswith("✓ Decision maker: Maria Lopez") for reply in replies)
    assert history(app, "authority") == [("Maria Lopez", False)]
    assert click(app, "confirm", f"{question}:yes") == [
        "Already recorded: Decision maker: Maria Lopez."
    ]
    assert history(app, "authority") == [("Maria Lopez", False)]


def test_a_phrase_about_time_is_never_recorded_as_a_person(app: App) -> None:
    say(app, "checkin")
    replies = say(app, "next quarter maybe")
    assert replies[0].startswith("I couldn't read that as decision maker (a name and title")
    assert history(app, "authority") == []


def test_none_is_an_answer_of_its_own(app: App) -> None:
    say(app, "checkin")
    say(app, "Maria")
    replies = say(app, "there is no champion")
    assert replies[0].startswith("✓ Champion: none")
    assert "No champion yet." in replies[0]
    assert history(app, "champion") == [("none", False)]


def test_facts_given_in_passing_are_proposed_for_their_fields(app: App) -> None:
    say(app, "checkin")
    replies = say(app, "the CFO, Maria, but I have only met her once")
    assert replies[0].startswith(
        "Record Maria Lopez (CFO) as decision maker and 2 as exposure to decision maker?"
    )
    replies = say(app, "yes")
    assert replies[0].startswith("✓ Decision maker: Maria Lopez\n✓ Exposure to decision maker: 2")
    assert history(app, "exposure") == [("2", False)]


def test_undo_takes_the_last_answer_back_and_asks_again(app: App) -> None:
    say(app, "checkin")
    say(app, "Maria")
    replies = say(app, "undo")
    assert replies[0].startswith("↶ Took back Decision maker: Maria Lopez")
    assert "Northwind fleet analytics: who makes the final decision?" in replies[0]
    assert history(app, "authority") == [("Maria Lopez", True)]
    say(app, "Tom")
    assert history(app, "authority") == [("Maria Lopez", True), ("Tom Becker", False)]
    assert "who will carry our case" in texts(app.services.database)[-1]


def test_no_i_meant_corrects_the_last_answer(app: App) -> None:
    say(app, "checkin")
    say(app, "Maria")
    replies = say(app, "no, I meant Tom")
    assert replies[0].startswith("✓ Corrected Decision maker: Tom Becker")
    assert "who will carry our case" in replies[0]  # the waiting question again
    assert history(app, "authority") == [("Maria Lopez", True), ("Tom Becker", False)]


def test_change_any_answer_by_its_name(app: App) -> None:
    say(app, "checkin")
    say(app, "Maria")
    replies = say(app, "change decision maker to Priya Shah")
    assert replies[0].startswith("Correct it: record Priya Shah as decision maker?")
    replies = say(app, "yes")
    assert replies[0].startswith("✓ Corrected Decision maker: Priya Shah")
    assert "who will carry our case" in replies[0]
    assert history(app, "authority") == [("Maria Lopez", True), ("Priya Shah", False)]
    say(app, "Tom")
    replies = say(app, "change champion to Maria")  # Northwind's, its people known
    assert replies[0].startswith("✓ Corrected Champion: Maria Lopez")
    assert history(app, "champion") == [("Tom Becker", True), ("Maria Lopez", False)]


def test_small_talk_is_answered_and_the_question_waits(app: App) -> None:
    say(app, "checkin")
    replies = say(app, "thanks")
    assert replies[0].startswith("🙂")
    assert "who makes the final decision?" in replies[0]
    assert history(app, "authority") == []
