"""Issue 17, items 7 and 8: with a model configured, the model writer gets the same
inputs as the deterministic one (prompt v2: typed facts, everyone in the decision
meeting with their role's questions and answers, the seller profile, the kind of risk)
and its output passes the same briefing check, over real HTTP to testkit's fake
OpenAI-compatible server."""

from __future__ import annotations

from pathlib import Path

import pytest
from briefing_check import instructions, missing_sections, objection_people, untraceable_figures
from support import make_services, person_id, texts

from bot.bootstrap import App, build_app
from bot.briefings.drafts import BriefingDrafts, content_of
from bot.engine.messages import Incoming
from coaching.briefing import BriefingContent
from coaching.clock import FixedClock
from storage import deals, people
from storage.briefings import BriefingSources
from storage.db import Database
from storage.demo import DEMO_SELLER_FILE, load_demo
from storage.models import Briefing
from testkit.openai_server import FakeOpenAIServer, Reply

PRIYA = "priya@example.com"
# What a good model writes for Tailspin from the v2 inputs: facts only, no instructions.
WRITTEN = {
    "shared": {
        "headline": "Fleet Analytics at Tailspin Toys: the case for a decision by "
        "Friday 11 December",
        "problem": "The seasonal peak doubles parcel volume, and last December 11% of "
        "deliveries were late.",
        "vision": "This project is part of what new leadership set out to change.",
        "value": "Fleet Analytics plans delivery routes and driver shifts automatically. "
        "Why Wayline Software: routes are re-planned against the driver-hours rules in "
        "force. Fabrikam Freight cut late-delivery penalties by 38% in the first six months.",
        "why_now": "Peak season starts 1 November. The decision is needed by Friday 11 "
        "December, 18 days from today.",
        "objections": [
            {
                "who": "Oliver Grant (COO)",
                "concern": "Will it disrupt the work while it goes in?",
                "answer": "The first two weeks run alongside today's way of working.",
            },
            {
                "who": "Raj Patel (Finance Manager)",
                "concern": "What if it does not work?",
                "answer": "If the agreed goal is not met after 90 days, the contract can be "
                "ended with nothing more to pay.",
            },
        ],
        "ask": "A yes to Fleet Analytics from Oliver Grant (COO), by Friday 11 December.",
        "next_steps": [
            "Friday 27 November: contract review with procurement.",
            "Friday 11 December: the decision by Oliver Grant.",
        ],
    },
    "rep": {
        "offer": "Hannah, would you be open to a couple of tips others used to get this approved?",
        "role_play": [{"question": "Why now?", "answer": "Peak season starts 1 November."}],
        "debrief": ["What did Oliver ask that we had not prepared for?"],
        "questions_for_rep": ["What does a late delivery cost Tailspin today?"],
    },
}


@pytest.fixture
def app(
    database: Database, clock: FixedClock, tmp_path: Path, openai_server: FakeOpenAIServer
) -> App:
    with database.transaction() as session:
        load_demo(session, clock.now())
    services = make_services(
        database,
        clock,
        data_dir=tmp_path,
        openai_base_url=openai_server.base_url,
        seller_path=DEMO_SELLER_FILE,
    )
    return build_app(services)


def brief(app: App) -> tuple[Briefing, BriefingSources]:
    database = app.services.database
    priya = person_id(database, PRIYA)
    app.engine.handle(Incoming(person_id=priya, text="brief tailspin"))
    drafts = app.part(BriefingDrafts)
    with database.transaction() as session:
        briefing = session.get_one(Briefing, 1)
        deal, rep = deals.deal(session, briefing.deal_id), people.find(session, priya)
        assert rep is not None
        return briefing, drafts.sources(session, deal, rep, app.services.clock.now())


def test_the_model_gets_the_same_inputs_as_the_templates(
    app: App, openai_server: FakeOpenAIServer
) -> None:
    openai_server.script(Reply.json(WRITTEN))
    stored, _ = brief(app)
    assert stored.writer == "model:briefing@2"
    [request] = openai_server.requests
    user = request.user
    assert "cost: Last December 11% of deliveries were late." in user
    assert "<decision_makers>\nOliver Grant (COO)\n</decision_makers>" in user
    assert "Oliver Grant (COO) asks “Will it disrupt the work while it goes in?”" in user
    assert "Raj Patel (Finance Manager) asks “How soon does it pay for itself?”" in user
    assert "guarantee: If the agreed goal is not met after 90 days" in user
    assert "company: Wayline Software" in user
    assert "Blue Yonder Parcel" not in user and "a 200-truck parcel carrier" in user
    assert "Routeify" not in user and "120" not in user and "Hannah Moss" in user
    assert "never a placeholder, never advice" in " ".join(request.system.split())


def test_the_models_briefing_passes_the_briefing_check_and_can_be_approved(
    app: App, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    openai_server.script(Reply.json(WRITTEN))
    stored, sources = brief(app)
    content = content_of(stored)
    assert missing_sections(content) == []
    assert instructions(content) == []
    assert untraceable_figures(content, sources.view) == []
    assert objection_people(content) == {"Oliver Grant", "Raj Patel"}
    assert stored.status == "draft" and stored.rep_content["leaks"] == []
    priya = person_id(app.services.database, PRIYA)
    app.engine.handle(Incoming(person_id=priya, text="approve 1"))
    assert "✓ Approved." in texts(app.services.database)[-1]
    assert len(list((tmp_path / "briefings").glob("*.md"))) == 1


def test_the_check_catches_what_a_careless_model_writes(
    app: App, openai_server: FakeOpenAIServer
) -> None:
    """A page with an instruction to the reader and a figure no fact holds fails the
    check; a figure from the deal's internal data blocks the draft."""
    careless = {
        **WRITTEN,
        "shared": {
            **WRITTEN["shared"],
            "problem": "Open with what it costs today, in your own figures: about 14% late.",
            "why_now": "They can get 10% off at 120k if they sign this week.",
        },
    }
    openai_server.script(Reply.json(careless))
    stored, sources = brief(app)
    content = BriefingContent.model_validate(
        {"shared": stored.shared_content, "rep": stored.rep_content["notes"]}
    )
    assert instructions(content) != []
    assert "14%" in untraceable_figures(content, sources.view)
    assert stored.status == "blocked"
