"""Corrections keep the history: the wrong answer is superseded, never erased, and
counts nowhere once corrected or undone (both backends)."""

import datetime as dt

from sqlalchemy import select

from storage.answers import correct_answer, record_answer, undo_answer
from storage.checkins import latest_answers_by_deal
from storage.db import Database
from storage.models import Answer, Deal, Person, Stakeholder
from storage.queries import answers_for
from storage.risk import scan_inputs

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=2)


def make_deal(database: Database) -> tuple[int, int]:
    with database.transaction() as session:
        rep = Person(name="Rep One", email="rep@example.com")
        session.add(rep)
        session.flush()
        deal = Deal(crm_id="D-1", name="Acme", stage="Negotiation", owner_id=rep.id)
        session.add(deal)
        session.flush()
        return deal.id, rep.id


def record(database: Database, deal: int, rep: int, field: str, value: str, at: dt.datetime) -> int:
    with database.transaction() as session:
        answer = record_answer(
            session, deal_id=deal, field=field, value=value, source="text", person_id=rep, now=at
        )
        return answer.id


def test_a_correction_appends_the_right_answer_and_supersedes_the_wrong_one(
    database: Database,
) -> None:
    deal, rep = make_deal(database)
    wrong = record(database, deal, rep, "authority", "next quarter maybe", NOW)
    with database.transaction() as session:
        right = correct_answer(
            session, wrong, value="Maria Lopez", source="correction", person_id=rep, now=LATER
        )
        assert right is not None
        right_id = right.id
    with database.transaction() as session:
        rows = session.scalars(select(Answer).order_by(Answer.id)).all()
        history = answers_for(session, [deal])
        latest = latest_answers_by_deal(session, [rep])
        people = [person.name for person in session.scalars(select(Stakeholder))]
    assert [(row.value, row.superseded_at, row.superseded_by) for row in rows] == [
        ("next quarter maybe", LATER, right_id),
        ("Maria Lopez", None, None),
    ]
    assert [answer.value for answer in history] == ["Maria Lopez"]
    assert latest[deal]["authority"].value == "Maria Lopez"
    assert people == ["Maria Lopez"]  # the wrong "person" is gone


def test_an_answer_is_corrected_once(database: Database) -> None:
    deal, rep = make_deal(database)
    wrong = record(database, deal, rep, "champion", "Tom", NOW)
    for _ in range(2):
        with database.transaction() as session:
            right = correct_answer(
                session, wrong, value="Priya Shah", source="correction", person_id=rep, now=LATER
            )
    assert right is None
    with database.transaction() as session:
        assert [a.value for a in answers_for(session, [deal])] == ["Priya Shah"]
        assert session.scalar(select(Answer).where(Answer.value == "Priya Shah").limit(1))
        assert len(session.scalars(select(Answer)).all()) == 2


def test_undo_brings_the_answer_before_back(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "exposure", "4", NOW - dt.timedelta(days=10))
    slip = record(database, deal, rep, "exposure", "1", NOW)
    with database.transaction() as session:
        assert undo_answer(session, slip, LATER) is not None
    with database.transaction() as session:
        assert undo_answer(session, slip, LATER) is None
        assert [a.value for a in answers_for(session, [deal])] == ["4"]
        assert latest_answers_by_deal(session, [rep])[deal]["exposure"].value == "4"
        kept = session.get_one(Answer, slip)
        assert (kept.value, kept.superseded_at, kept.superseded_by) == ("1", LATER, None)


def test_undo_after_a_correction_restores_the_value_it_corrected(database: Database) -> None:
    deal, rep = make_deal(database)
    tom = record(database, deal, rep, "champion", "Tom Reed", NOW)
    with database.transaction() as session:
        right = correct_answer(
            session, tom, value="Priya Shah", source="correction", person_id=rep, now=LATER
        )
        assert right is not None
        priya = right.id
    undone_at = LATER + dt.timedelta(minutes=1)
    with database.transaction() as session:
        assert undo_answer(session, priya, undone_at) is not None
    with database.transaction() as session:
        assert [a.value for a in answers_for(session, [deal])] == ["Tom Reed"]
        rows = session.scalars(select(Answer).order_by(Answer.id)).all()
        people = [person.name for person in session.scalars(select(Stakeholder))]
    restored = rows[-1].id
    assert [(row.value, row.superseded_at, row.superseded_by) for row in rows] == [
        ("Tom Reed", LATER, priya),
        ("Priya Shah", undone_at, restored),
        ("Tom Reed", None, None),
    ]
    assert people == ["Tom Reed"]


def test_a_person_still_named_elsewhere_is_kept(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "champion", "Maria Lopez", NOW)
    slip = record(database, deal, rep, "authority", "Maria Lopez", NOW)
    with database.transaction() as session:
        undo_answer(session, slip, LATER)
    with database.transaction() as session:
        assert [person.name for person in session.scalars(select(Stakeholder))] == ["Maria Lopez"]


def test_the_risk_scan_reads_no_superseded_answer(database: Database) -> None:
    deal, rep = make_deal(database)
    wrong = record(database, deal, rep, "money", "none", NOW)
    with database.transaction() as session:
        correct_answer(
            session, wrong, value="confirmed", source="correction", person_id=rep, now=LATER
        )
    with database.transaction() as session:
        inputs = scan_inputs(session)
    assert [answer.value for answer in inputs.answers[deal]] == ["confirmed"]


def test_none_names_no_stakeholder(database: Database) -> None:
    deal, rep = make_deal(database)
    record(database, deal, rep, "champion", "none", NOW)
    with database.transaction() as session:
        assert session.scalars(select(Stakeholder)).all() == []
