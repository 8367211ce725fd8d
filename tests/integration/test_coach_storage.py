"""What the coach reads from storage: scoped open deals, a manager's reps, the coach session."""

from __future__ import annotations

import datetime as dt

import pytest
from manager_support import add_deal, add_person
from sqlalchemy import select

from coaching.clock import FixedClock
from storage.coach import deal_records, end_session, open_session, save_session, team_members
from storage.db import Database
from storage.demo import load_demo
from storage.models import Deal, Person


def ids(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return dict(session.execute(select(Person.name, Person.id)).all())


def other_team(database: Database, today: dt.date) -> int:
    """A second manager with one rep and one open deal (and one lost)."""
    mia = add_person(database, "Mia Manager", role="manager")
    zed = add_person(database, "Zed Rep", manager=mia)
    add_deal(database, zed, "Tailwind other team", today=today)
    add_deal(database, zed, "Lost cause", today=today, status="lost")
    return mia


def test_a_reps_deals_a_managers_team_never_another_team(
    database: Database, clock: FixedClock
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    mia = other_team(database, clock.now().date())
    people = ids(database)
    with database.transaction() as session:
        alex = deal_records(session, owner_ids=[people["Alex Rivera"]])
        assert [record.deal.facts.name for record in alex] == [
            "Northwind fleet analytics",
            "Contoso service desk",
            "Fabrikam warehouse pilot",
        ]
        dana = deal_records(session, manager_id=people["Dana Whitfield"])
        assert len(dana) == 7 and "Tailwind other team" not in {r.deal.facts.name for r in dana}
        assert [r.deal.facts.name for r in deal_records(session, manager_id=mia)] == [
            "Tailwind other team"
        ]
        theirs = session.scalar(select(Deal.id).where(Deal.name == "Tailwind other team"))
        assert theirs is not None
        assert deal_records(session, manager_id=people["Dana Whitfield"], deal_ids=[theirs]) == []
        assert deal_records(session, owner_ids=[people["Zed Rep"]], deal_ids=[theirs])
        with pytest.raises(ValueError, match="needs a scope"):
            deal_records(session)


def test_a_record_carries_answers_close_date_changes_and_people(
    database: Database, clock: FixedClock
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    people = ids(database)
    with database.transaction() as session:
        (northwind,) = [
            record
            for record in deal_records(session, owner_ids=[people["Alex Rivera"]])
            if record.deal.facts.crm_id == "DEMO-001"
        ]
        assert northwind.deal.owner == "Alex Rivera"
        assert northwind.deal.timezone == "America/New_York"
        assert {answer.field for answer in northwind.answers} >= {
            "authority",
            "exposure",
            "champion",
        }
        assert len(northwind.close_date_changes) == 2
        assert [(p.name, p.title, p.role) for p in northwind.stakeholders] == [
            ("Maria Lopez", "CFO", "decision_maker"),
            ("Tom Becker", "Head of Dispatch", "champion"),
        ]
        assert [name for _, name in team_members(session, people["Dana Whitfield"])] == [
            "Alex Rivera",
            "Priya Shah",
            "Sam Okafor",
        ]


def test_one_coach_session_per_person_kept_replaced_and_ended(
    database: Database, clock: FixedClock
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    people = ids(database)
    alex = people["Alex Rivera"]
    with database.transaction() as session:
        deals = dict(session.execute(select(Deal.crm_id, Deal.id)).all())
        assert open_session(session, alex) is None
        save_session(
            session,
            alex,
            kind="role_play",
            deal_id=deals["DEMO-001"],
            state={"index": 0},
            now=clock.now(),
        )
    with database.transaction() as session:
        stored = open_session(session, alex)
        assert stored is not None and stored.state == {"index": 0}
        save_session(
            session,
            alex,
            kind="role_play",
            deal_id=deals["DEMO-002"],
            state={"index": 1},
            now=clock.now(),
        )
    with database.transaction() as session:
        stored = open_session(session, alex)
        assert stored is not None and (stored.deal_id, stored.state) == (
            deals["DEMO-002"],
            {"index": 1},
        )
        end_session(session, alex)
    with database.transaction() as session:
        assert open_session(session, alex) is None
