"""Model extraction of signals over real HTTP: structured output, quotes checked verbatim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from manager_support import add_deal, add_person

from coaching.clock import FixedClock
from coaching.evidence.lexicon import KINDS
from coaching.evidence.model import Activity
from prompts.llm import ModelSignalReader, ModelUnavailable, build_chat_model
from storage.activities import signals_for_deals
from storage.db import Database
from storage.importers.activity_import import ActivityImportOptions, import_activities
from testkit.openai_server import FakeOpenAIServer, Reply

NOTE = Activity(
    deal_id=3,
    kind="email",
    status="completed",
    occurred_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
    subject="Re: next steps",
    body="Thanks for the demo.\nFinance put every new spend on ice until April, sorry.",
    contact_name="Priya Shah",
    contact_email="priya@acme.test",
    direction="buyer",
    source="hubspot",
    source_ref="e-77",
)


def reader(server: FakeOpenAIServer) -> ModelSignalReader:
    return ModelSignalReader(build_chat_model(None, server.base_url, "gpt-4o-mini", 5.0, 0))


def test_a_quote_found_verbatim_is_kept_with_its_date_and_source() -> None:
    with FakeOpenAIServer() as server:
        server.script(
            Reply.json(
                {
                    "signals": [
                        {
                            "kind": "budget_blocked",
                            "quote": "Finance put every new spend on ice until April",
                            "confidence": 0.9,
                        },
                    ]
                }
            )
        )
        (signal,) = reader(server).read_activity(NOTE)
        request = server.requests[0]
    assert (signal.kind, signal.quote, signal.occurred_on, signal.source, signal.source_ref) == (
        "budget_blocked",
        "Finance put every new spend on ice until April",
        dt.date(2026, 11, 20),
        "email",
        "hubspot:e-77",
    )
    assert signal.confidence == 0.9
    assert "<text>" in request.user and "on ice until April" in request.user
    schema = request.json_schema
    assert schema is not None
    assert set(schema["schema"]["$defs"]["_Found"]["properties"]["kind"]["enum"]) == set(KINDS)


def test_a_paraphrase_or_an_unsure_reading_is_dropped() -> None:
    with FakeOpenAIServer() as server:
        server.script(
            Reply.json(
                {
                    "signals": [
                        {
                            "kind": "budget_blocked",
                            "quote": "the budget is frozen until April",
                            "confidence": 0.95,
                        },
                        {"kind": "request", "quote": "Thanks for the demo", "confidence": 0.3},
                        {"kind": "decision_timeline", "quote": "until April", "confidence": 0.8},
                    ]
                }
            )
        )
        found = reader(server).read_activity(NOTE)
    assert [(s.kind, s.quote) for s in found] == [("decision_timeline", "until April")]


def test_an_unknown_kind_is_no_reading() -> None:
    with FakeOpenAIServer() as server:
        server.script(
            Reply.json(
                {
                    "signals": [
                        {"kind": "gossip", "quote": "Thanks for the demo", "confidence": 0.9},
                    ]
                }
            )
        )
        assert reader(server).read_activity(NOTE) == []


def test_a_server_failure_is_the_callers_to_handle() -> None:
    with FakeOpenAIServer() as server:
        server.script(Reply.failure(500))
        with pytest.raises(ModelUnavailable):
            reader(server).read_activity(NOTE)


def test_an_empty_text_asks_nothing() -> None:
    empty = Activity(
        3, "call", "completed", NOTE.occurred_at, None, "  ", None, None, "rep", "csv", "c1"
    )
    with FakeOpenAIServer() as server:
        assert reader(server).read_activity(empty) == []
        assert server.requests == []


def test_an_import_with_a_model_stores_its_verbatim_readings_beside_the_lexicons(
    sqlite_database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    manager = add_person(sqlite_database, "Dana Manager", role="manager")
    rep = add_person(sqlite_database, "Alex Rep", manager=manager)
    deal = add_deal(sqlite_database, rep, "Acme rollout", today=clock.now().date())
    on = (clock.now().date() - dt.timedelta(days=2)).isoformat()
    log = tmp_path / "log.csv"
    log.write_text(
        "activity_id,type,status,direction,date,deal_id,contact,notes\n"
        f"N1,note,completed,,{on} 15:00,CRM-Acme rollout,,"
        '"Finance put every new spend on ice until April. No rush, they said."\n',
        encoding="utf-8",
    )
    with FakeOpenAIServer() as server:
        server.script(
            Reply.json(
                {
                    "signals": [
                        {
                            "kind": "budget_blocked",
                            "quote": "Finance put every new spend on ice until April",
                            "confidence": 0.9,
                        },
                        {
                            "kind": "champion_wavering",
                            "quote": "the champion is leaving",
                            "confidence": 0.9,
                        },
                    ]
                }
            )
        )
        options = ActivityImportOptions(text_reader=reader(server).read_activity)
        import_activities(sqlite_database, log, options, now=clock.now())
    with sqlite_database.transaction() as session:
        stored = {(s.kind, s.quote) for s in signals_for_deals(session, [deal])[deal]}
    assert stored == {
        ("budget_blocked", "Finance put every new spend on ice until April"),  # the model's
        ("no_urgency", "No rush, they said"),  # the lexicon's
    }
