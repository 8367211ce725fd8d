"""Activities and signals per deal on SQLite and PostgreSQL: idempotent saves, bulk reads."""

from __future__ import annotations

import dataclasses
import datetime as dt

from coaching.evidence.model import Activity, Signal
from storage.activities import (
    activities_for_deals,
    save_activities,
    save_signals,
    signals_for_deals,
)
from storage.db import Database
from storage.models import Deal

WHEN = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def _deals(database: Database) -> tuple[int, int]:
    with database.transaction() as session:
        first = Deal(crm_id="OPP-1", name="Acme rollout", stage="Discovery")
        second = Deal(crm_id="OPP-2", name="Globex renewal", stage="Proposal")
        session.add_all([first, second])
        session.flush()
        return first.id, second.id


def _call(deal_id: int, ref: str, **changes: object) -> Activity:
    activity = Activity(
        deal_id=deal_id,
        kind="call",
        status="completed",
        occurred_at=WHEN,
        subject="Discovery call",
        body="Talked budget with Dana.",
        contact_name="Dana Whit",
        contact_email="dana@acme.example",
        direction="buyer",
        source="salesforce",
        source_ref=ref,
    )
    return dataclasses.replace(activity, **changes)  # type: ignore[arg-type]


def test_saving_again_updates_by_source_and_ref_never_doubles(database: Database) -> None:
    first, second = _deals(database)
    with database.transaction() as session:
        counts = save_activities(
            session,
            [_call(first, "00T1"), _call(first, "00T2", occurred_at=WHEN - dt.timedelta(days=3))],
        )
    assert (counts.inserted, counts.updated, counts.unchanged) == (2, 0, 0)
    with database.transaction() as session:
        counts = save_activities(
            session,
            [
                _call(first, "00T1"),
                _call(second, "00T2", status="scheduled"),
                _call(first, "00T1", source="hubspot"),
            ],
        )
    assert (counts.inserted, counts.updated, counts.unchanged) == (1, 1, 1)
    with database.transaction() as session:
        found = activities_for_deals(session, [first, second, 999])
    assert [a.source_ref for a in found[first]] == ["00T1", "00T1"]
    assert {a.source for a in found[first]} == {"salesforce", "hubspot"}
    assert found[second] == [_call(second, "00T2", status="scheduled")]
    assert found[first][0].occurred_at == WHEN
    assert 999 not in found


def test_activities_come_back_oldest_first(database: Database) -> None:
    first, _ = _deals(database)
    with database.transaction() as session:
        save_activities(
            session,
            [
                _call(first, f"00T{day}", occurred_at=WHEN - dt.timedelta(days=day))
                for day in (1, 9, 4)
            ],
        )
    with database.transaction() as session:
        found = activities_for_deals(session, [first])[first]
    assert [a.source_ref for a in found] == ["00T9", "00T4", "00T1"]


def test_signals_from_a_text_replace_those_read_from_it_before(database: Database) -> None:
    first, second = _deals(database)
    frozen = Signal(first, "budget_frozen", "budget frozen until Q2", dt.date(2026, 11, 20),
                    "activity", "salesforce:00T1", 0.9)  # fmt: skip
    rival = Signal(first, "competitor", "also talking to Globex", dt.date(2026, 11, 18),
                   "activity", "salesforce:00T2")  # fmt: skip
    other = Signal(second, "decision", "the board decides in March", dt.date(2026, 11, 2),
                   "description", f"deal:{second}")  # fmt: skip
    with database.transaction() as session:
        assert save_signals(session, [frozen, rival, other]) == 3
    unfrozen = dataclasses.replace(frozen, kind="budget", quote="budget approved")
    with database.transaction() as session:
        save_signals(session, [unfrozen], read_from=[("activity", "salesforce:00T2")])
    with database.transaction() as session:
        found = signals_for_deals(session, [first, second])
    assert found == {first: [unfrozen], second: [other]}
