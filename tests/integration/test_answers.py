import datetime as dt

from sqlalchemy import select

from storage.answers import record_answer
from storage.checkins import latest_answers_by_deal
from storage.db import Database
from storage.models import Answer, Deal, Person, Stakeholder
from storage.queries import answers_for

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def make_deal(database: Database) -> tuple[int, int]:
    with database.transaction() as session:
        rep = Person(name="Rep One", email="rep@example.com")
        session.add(rep)
        session.flush()
        deal = Deal(crm_id="D-1", name="Acme", stage="Negotiation", owner_id=rep.id)
        session.add(deal)
        session.flush()
        return deal.id, rep.id


def record(database: Database, deal: int, rep: int, field: str, value: str, days: int) -> None:
    with database.transaction() as session:
        record_answer(
            session,
            deal_id=deal,
            field=field,
            value=value,
            source="text",
            person_id=rep,
            now=NOW + dt.timedelta(days=days),
        )


def test_answers_are_appended_never_overwritten(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "exposure", "4", days=0)
    record(database, deal, rep, "exposure", "2", days=10)
    with database.transaction() as session:
        history = answers_for(session, [deal])
        rows = session.scalars(select(Answer).order_by(Answer.id)).all()
    assert [(a.field, a.value) for a in history] == [("exposure", "4"), ("exposure", "2")]
    assert [row.answered_at for row in rows] == [NOW, NOW + dt.timedelta(days=10)]
    assert all(row.answered_at.tzinfo is not None for row in rows)


def test_people_named_in_answers_become_stakeholders(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "authority", "Maria Lopez", days=0)
    record(database, deal, rep, "exposure", "2", days=1)
    record(database, deal, rep, "champion", "Tom Becker", days=1)
    record(database, deal, rep, "champion", "tom becker", days=2)
    record(database, deal, rep, "authority", "unknown", days=3)
    with database.transaction() as session:
        people = session.scalars(select(Stakeholder).order_by(Stakeholder.id)).all()
        found = [(p.name, p.role, p.exposure, p.shareable) for p in people]
    assert found == [
        ("Maria Lopez", "decision_maker", 2, False),
        ("Tom Becker", "champion", None, False),
    ]


def test_a_title_after_the_name_becomes_the_stakeholders_title(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "champion", "Tom, head of dispatch", days=0)
    record(database, deal, rep, "authority", "Maria Lopez (CFO)", days=0)
    record(database, deal, rep, "exposure", "3", days=1)
    with database.transaction() as session:
        people = session.scalars(select(Stakeholder).order_by(Stakeholder.id)).all()
        found = [(p.name, p.title, p.exposure) for p in people]
    assert found == [("Tom", "head of dispatch", None), ("Maria Lopez", "CFO", 3)]


def test_the_round_reads_the_newest_answer_per_field(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "money", "none", days=0)
    record(database, deal, rep, "money", "confirmed", days=5)
    record(database, deal, rep, "money", "next_year", days=2)
    record(database, deal, rep, "need", "pain", days=1)
    with database.transaction() as session:
        latest = latest_answers_by_deal(session, [rep])
    assert {field: answer.value for field, answer in latest[deal].items()} == {
        "money": "confirmed",
        "need": "pain",
    }
    assert latest[deal]["money"].answered_at == NOW + dt.timedelta(days=5)
