"""Activity imports into real databases: Salesforce and HubSpot exports as those CRMs write
them, linking to deals, re-imports and malformed rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coaching.evidence.model import Activity
from storage.activities import activities_for_deals
from storage.db import Database
from storage.importers.activity_import import (
    ActivityImportOptions,
    ActivityImportReport,
    TooManyActivityRejects,
    import_activities,
)
from storage.importers.errors import ImportAborted
from storage.models import Deal, DealActivity, Person, Stakeholder

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
FIXTURES = Path(__file__).parents[1] / "fixtures" / "activities"


def run(database: Database, path: Path, **options: object) -> ActivityImportReport:
    return import_activities(database, path, ActivityImportOptions(**options), now=NOW)  # type: ignore[arg-type]


def add_deals(database: Database, *deals: dict[str, object]) -> dict[str, int]:
    """Deals by name -> id; owners named in `owner` are created once."""
    with database.transaction() as session:
        people: dict[str, Person] = {}
        rows = []
        for given in deals:
            values = dict(given)
            owner = str(values.pop("owner", "Maria Stone"))
            if owner not in people:
                people[owner] = Person(name=owner, role="rep", timezone="UTC")
            values.setdefault("stage", "Proposal")
            rows.append(Deal(owner=people[owner], **values))
        session.add_all(rows)
        session.flush()
        return {deal.name: deal.id for deal in rows}


def stored(database: Database, deal_id: int) -> list[Activity]:
    with database.transaction() as session:
        return activities_for_deals(session, [deal_id]).get(deal_id, [])


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_salesforce_tasks_and_events_link_by_18_character_ids(database: Database) -> None:
    ids = add_deals(
        database,
        {"crm_id": "0065g00000OppA1", "name": "Acme rollout", "account": "Acme Corp"},
        {"crm_id": "0065g00000OppB1AAB", "name": "Globex renewal", "account": "Globex"},
    )

    tasks = run(database, FIXTURES / "salesforce_tasks.csv")
    events = run(database, FIXTURES / "salesforce_events.csv")

    assert tasks.mapping.preset.name == events.mapping.preset.name == "salesforce"
    assert (tasks.saved.inserted, events.saved.inserted) == (5, 2)
    assert len(tasks.rejections) == len(tasks.unlinked) == 0
    acme = stored(database, ids["Acme rollout"])
    assert [(a.kind, a.status, a.direction, a.occurred_at) for a in acme] == [
        ("meeting", "completed", "buyer", at("2026-10-28T14:00:00")),
        ("call", "completed", "buyer", at("2026-11-02T15:12:40")),
        ("call", "completed", "rep", at("2026-11-09T09:03:00")),
        ("email", "completed", "rep", at("2026-11-10T08:30:00")),
        ("meeting", "scheduled", "buyer", at("2026-12-04T13:30:00")),
        ("task", "scheduled", "rep", at("2026-12-15T12:00:00")),
    ]
    assert acme[1].body is not None and "third reference call" in acme[1].body
    assert acme[3].body == (
        "Hi Dana,\nas promised, the three pricing options. Let me know which one works for "
        "the board."
    )
    assert {a.source for a in acme} == {"salesforce"}
    assert acme[0].source_ref == "00U5g00000Ev1aAEAR"
    [globex] = stored(database, ids["Globex renewal"])
    assert (globex.kind, globex.direction) == ("call", "buyer")  # an inbound call


def test_importing_the_same_export_again_updates_and_never_doubles(database: Database) -> None:
    ids = add_deals(
        database,
        {"crm_id": "0065g00000OppA1AAB", "name": "Acme rollout", "account": "Acme Corp"},
        {"crm_id": "0065g00000OppB1AAB", "name": "Globex renewal", "account": "Globex"},
    )
    run(database, FIXTURES / "salesforce_tasks.csv")

    again = run(database, FIXTURES / "salesforce_tasks.csv")

    assert (again.saved.inserted, again.saved.updated, again.saved.unchanged) == (0, 0, 5)
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(DealActivity)) == 5
    assert len(stored(database, ids["Acme rollout"])) == 4


def test_a_day_first_report_links_by_name_then_account_and_owner(database: Database) -> None:
    ids = add_deals(
        database,
        {"crm_id": "A1", "name": "Acme rollout", "account": "Acme Corp"},
        {"crm_id": "G1", "name": "Globex renewal", "account": "Globex",
         "last_activity_on": dt.date(2026, 11, 1)},
        {"crm_id": "G2", "name": "Globex upsell", "account": "Globex", "owner": "Tom Reyes",
         "last_activity_on": dt.date(2026, 11, 15)},
        {"crm_id": "G3", "name": "Globex pilot", "account": "Globex", "status": "won",
         "last_activity_on": dt.date(2026, 11, 20)},
        {"crm_id": "I1", "name": "Initech pilot", "account": "Initech", "status": "lost"},
    )  # fmt: skip

    report = run(
        database, FIXTURES / "salesforce_report_uk.csv", timezone="Europe/London", max_rejects="1"
    )

    assert report.reading == ("day/month/year (as line 2, Date '20/11/2026')",)
    assert report.footer_lines == 2
    assert report.saved.inserted == 3
    assert dict(report.linked_by) == {"name": 1, "account": 2}
    [acme] = stored(database, ids["Acme rollout"])
    assert (acme.kind, acme.direction, acme.occurred_at) == (
        "call",
        "buyer",
        at("2026-11-20T12:00"),
    )
    assert acme.body == "We need to learn to walk before we run."
    assert acme.contact_name == "Dana Whit"
    [chase] = stored(database, ids["Globex renewal"])  # Maria's open Globex deal
    assert (chase.kind, chase.subject) == ("task", "Follow-up email")
    [pricing] = stored(database, ids["Globex upsell"])  # Tom's
    assert pricing.body == "Asked for what-if pricing."
    assert [(i.line, i.reason) for i in report.unlinked] == [
        (5, "not linked: account 'Initech' has no open deal")
    ]
    assert [(i.line, i.reason) for i in report.rejections] == [
        (6, "'Date': '31/13/2026' is not a real date (read as day/month/year)")
    ]
    assert "Task" in report.mapping.ignored


def test_hubspot_calls_and_meetings(database: Database) -> None:
    ids = add_deals(
        database,
        {"crm_id": "9012345", "name": "Acme rollout", "account": "Acme Corp"},
        {"crm_id": "9012346", "name": "Globex upsell", "account": "Globex"},
    )

    calls = run(database, FIXTURES / "hubspot_calls.csv")
    meetings = run(database, FIXTURES / "hubspot_meetings.csv")

    assert calls.mapping.preset.name == meetings.mapping.preset.name == "hubspot"
    assert dict(calls.linked_by) == {"id": 3, "account": 1}
    assert dict(meetings.skipped) == {"cancelled": 1}
    acme = stored(database, ids["Acme rollout"])
    assert [(a.kind, a.status, a.direction, a.subject) for a in acme] == [
        ("call", "completed", "buyer", "Discovery call"),
        ("meeting", "completed", "buyer", "Demo for the ops team"),
        ("call", "completed", "rep", "Follow-up"),
        ("meeting", "scheduled", "buyer", "Pricing review (rebooked)"),
    ]
    assert acme[0].occurred_at == at("2026-11-03T10:15")
    assert acme[1].contact_name == "Priya Raman"
    globex = stored(database, ids["Globex upsell"])
    assert [(a.kind, a.status, a.direction) for a in globex] == [
        ("meeting", "completed", "rep"),  # no show
        ("call", "completed", "buyer"),  # Lee called back
        ("call", "completed", "rep"),  # no answer
    ]
    assert globex[1].body == "Lee called back: decision pushed to next quarter."


def test_rows_that_cannot_be_read_refuse_the_import_past_the_limit(
    database: Database, tmp_path: Path
) -> None:
    add_deals(database, {"crm_id": "A1", "name": "Acme rollout", "account": "Acme Corp"})
    path = tmp_path / "log.csv"
    path.write_text(
        "type,date,deal_id,notes\n"
        "call,2026-11-02 10:00,A1,Connected with Dana\n"
        "call,yesterday,A1,\n"
        "meeting,2026-11-03 25:00,A1,\n"
        "note,2026-11-04,A1,Budget approved\n",
        encoding="utf-8",
    )

    with pytest.raises(TooManyActivityRejects) as refused:
        run(database, path)

    assert [(i.line, i.reason) for i in refused.value.report.rejections] == [
        (3, "'date': cannot read 'yesterday' as a date (use YYYY-MM-DD, M/D/YYYY, D.M.YYYY, "
            "or say how with --date-format)"),
        (4, "'date': '2026-11-03 25:00' has no real time of day (write it like 14:30)"),
    ]  # fmt: skip
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(DealActivity)) == 0

    report = run(database, path, max_rejects="50%")

    assert report.mapping.preset.name == "generic"
    assert report.saved.inserted == 2


def test_a_file_without_dates_or_deal_references_says_what_to_map(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "log.csv"
    path.write_text("Logged On,Subject,Opp\n2026-11-02,Call,A1\n", encoding="utf-8")

    with pytest.raises(ImportAborted, match="cannot tell which CRM exported this file"):
        run(database, path)
    with pytest.raises(ImportAborted, match="no column to link activities to deals"):
        run(database, path, column_map=("Logged On=occurred_at",))

    add_deals(database, {"crm_id": "A1", "name": "Acme rollout"})
    report = run(database, path, column_map=("Logged On=occurred_at", "Opp=deal_id"))
    assert report.saved.inserted == 1


def test_a_meeting_held_with_a_stakeholder_marked_never_met_lifts_their_exposure(
    database: Database,
) -> None:
    ids = add_deals(database, {"crm_id": "9012345", "name": "Acme rollout", "account": "Acme"})
    with database.transaction() as session:
        session.add_all(
            [
                Stakeholder(deal_id=ids["Acme rollout"], name="Priya  Raman", exposure=1),
                Stakeholder(deal_id=ids["Acme rollout"], name="Dana Whit", exposure=1),
                Stakeholder(deal_id=ids["Acme rollout"], name="Lee Park"),
            ]
        )

    report = run(database, FIXTURES / "hubspot_meetings.csv")

    assert report.exposure_raised == 1
    with database.transaction() as session:
        exposure = dict(session.execute(select(Stakeholder.name, Stakeholder.exposure)).all())
    # Priya joined the demo; Dana's meeting was cancelled, her next one is ahead.
    assert exposure == {"Priya  Raman": 2, "Dana Whit": 1, "Lee Park": None}
