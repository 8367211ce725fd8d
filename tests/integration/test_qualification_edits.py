"""The `edit` action: a deal's qualification edited in one go, checked like typed answers."""

from sqlalchemy import select
from support import person_id, texts

from bot.bootstrap import App
from bot.checkins.qualification_edits import edit_value
from bot.engine.messages import Incoming
from storage.models import Answer, Deal


def deal_id(app: App, name: str) -> int:
    with app.services.database.transaction() as session:
        return session.scalars(select(Deal.id).where(Deal.name.like(f"{name}%"))).one()


def edit(app: App, who: str, value: str) -> str:
    database = app.services.database
    incoming = Incoming(person_id=person_id(database, who), action="edit", value=value)
    app.engine.handle(incoming)
    return texts(database)[-1]


def form_answers(app: App) -> list[tuple[str, str]]:
    with app.services.database.transaction() as session:
        rows = session.scalars(select(Answer).where(Answer.source == "form").order_by(Answer.id))
        return [(row.field, row.value) for row in rows]


def test_valid_values_are_recorded_and_bad_ones_refused(app: App) -> None:
    value = edit_value(
        deal_id(app, "Contoso"),
        {
            "exposure": "9",
            "need": "defined",
            "money": "plenty",
            "decision_date": "soon",
            "champion": "unknown",
            "no_such_field": "x",
            "competitors": "  ",
        },
    )
    reply = edit(app, "alex@example.com", value)
    assert form_answers(app) == [("need", "defined"), ("champion", "unknown")]
    assert "Updated Contoso service desk:" in reply
    assert "✓ Need: Defined project" in reply
    assert "✓ Champion: not sure" in reply
    assert "✗ Exposure to decision maker: a number from 1 to 5" in reply
    assert "✗ Money: not one of the choices" in reply
    assert "✗ Decision date: a date like 2026-12-15" in reply
    assert "✗ Competitors: empty" in reply


def test_unchanged_values_are_not_recorded_again(app: App) -> None:
    value = edit_value(deal_id(app, "Northwind"), {"money": "confirmed"})
    assert edit(app, "alex@example.com", value) == "Nothing changed on Northwind fleet analytics."
    assert form_answers(app) == []


def test_only_the_owner_can_edit_and_garbage_is_refused(app: App) -> None:
    value = edit_value(deal_id(app, "Northwind"), {"need": "pain"})
    assert edit(app, "priya@example.com", value) == "That deal is not one of your open deals."
    assert edit(app, "alex@example.com", "{not json") == (
        "I couldn't read that edit; please try again."
    )
    assert form_answers(app) == []
