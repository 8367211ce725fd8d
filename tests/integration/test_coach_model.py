"""The coach with a model configured, over real HTTP to the fake OpenAI-compatible
server: the model calls read-only tools over the asker's own data; its answer is shown
only when every figure and name in it is in what the tools returned; a rep's tools
reach only their deals, a manager's only their team's; on a timeout or an error the
deterministic coach answers."""

from __future__ import annotations

import pytest
from manager_support import add_deal, add_person
from support import make_services, person_id, texts

from bot.bootstrap import App, build_app
from bot.coach.desk import CoachDesk
from bot.engine.messages import Incoming
from bot.engine.outgoing import person_address
from bot.infra.services import Services
from coaching.clock import FixedClock
from coaching.coach.grounding import ungrounded
from prompts.llm import ModelCoach, build_chat_model
from storage.db import Database
from testkit.openai_server import FakeOpenAIServer, RecordedRequest, Reply

ALEX, DANA = "alex@example.com", "dana@example.com"
REVIEW = (
    "Northwind fleet analytics has been in Negotiation/Review 41 days and its close date "
    "was pushed 2 times. Your exposure to Maria Lopez is 2 of 5: ask Tom Becker to "
    "introduce you, with “Would it help if I spent 20 minutes with Maria Lopez on the "
    "business case before your meeting?”"
)


@pytest.fixture
def model_app(
    demo_services: Services, database: Database, clock: FixedClock, openai_server: FakeOpenAIServer
) -> App:
    return build_app(make_services(database, clock, openai_base_url=openai_server.base_url))


def say(app: App, who: str, text: str) -> str:
    database = app.services.database
    recipient = person_address(person_id(database, who))
    before = len(texts(database, recipient))
    app.engine.handle(Incoming(person_id=person_id(database, who), text=text))
    return "\n".join(texts(database, recipient)[before:])


def tool_outputs(requests: list[RecordedRequest]) -> list[str]:
    """What the tools returned, as the model received it (the last request has it all)."""
    return requests[-1].contents("tool")


def tools_offered(request: RecordedRequest) -> set[str]:
    return {tool["function"]["name"] for tool in request.body.get("tools", [])}


def test_the_model_reviews_a_deal_through_its_tools_and_says_only_what_they_returned(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    openai_server.script(
        Reply.tool_call("deal_risks", {"deal": "northwind"}),
        Reply.tool_call("deal_facts", {"deal": "Northwind"}),
        Reply.tool_call("deal_coaching", {"deal": "DEMO-001"}),
        Reply(content=REVIEW),
    )
    assert say(model_app, ALEX, "what should I do about Northwind?") == REVIEW
    requests = openai_server.requests
    assert len(requests) == 4
    assert "<question>\nwhat should I do about Northwind?\n</question>" in requests[0].user
    assert {"deal_facts", "deal_risks", "answer_history", "deal_coaching"} <= tools_offered(
        requests[0]
    )
    assert "rep_summary" not in tools_offered(requests[0])  # managers only
    outputs = tool_outputs(requests)
    assert len(outputs) == 3
    assert "Stalled: in Negotiation/Review 41 days" in outputs[0]
    assert "amount: $84,000" in outputs[1]
    assert "buyer person: Maria Lopez, CFO, decision_maker, exposure 2 of 5" in outputs[1]
    assert ungrounded(REVIEW, outputs) == []
    usage = model_app.part(CoachDesk).model.coach.usage  # type: ignore[union-attr]
    assert (usage.calls, usage.failures) == (4, 0)
    assert usage.total_tokens > 0


def test_an_answer_stating_what_no_tool_returned_is_not_shown(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    invented = "Northwind fleet analytics is worth $2.5M and Bob Smith signs on Friday."
    openai_server.script(Reply.tool_call("deal_facts", {"deal": "northwind"}), Reply(invented))
    shown = say(model_app, ALEX, "what should I do about Northwind?")
    assert ungrounded(invented, tool_outputs(openai_server.requests)) == [
        "2.5",
        "Bob",
        "Smith",
        "Friday",
    ]
    assert "Bob Smith" not in shown
    assert shown.startswith("== Northwind fleet analytics · Northwind Traders · $84,000")
    assert "Next best actions" in shown


def test_a_reps_tools_reach_only_their_own_deals(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    answer = "I can't see a Tailspin deal among yours."
    openai_server.script(
        Reply.tool_call("deal_facts", {"deal": "Tailspin"}),  # Priya's deal
        Reply.tool_call("rep_summary", {"rep": "Priya"}),
        Reply(content=answer),
    )
    assert say(model_app, ALEX, "what should I do about Tailspin?") == answer
    facts, summary = tool_outputs(openai_server.requests)
    assert facts == "No open deal matching 'Tailspin' is in your scope. Call list_deals."
    assert summary.startswith("No tool 'rep_summary'.")
    for request in openai_server.requests:
        assert "Tailspin Toys" not in str(request.body) and "£120,000" not in str(request.body)


def test_a_managers_tools_reach_their_team_and_no_other(
    model_app: App, openai_server: FakeOpenAIServer, clock: FixedClock
) -> None:
    database = model_app.services.database
    olga = add_person(database, "Olga Berg", role="manager")
    omar = add_person(database, "Omar Diaz", manager=olga)
    add_deal(database, omar, "Globex freight", today=clock.now().date())
    openai_server.script(
        Reply.tool_call("deal_facts", {"deal": "Tailspin"}),
        Reply.tool_call("deal_facts", {"deal": "Globex freight"}),
        Reply.tool_call("rep_summary", {"rep": "Omar"}),
        Reply(content="Tailspin route optimisation is Priya Shah's deal, at £120,000."),
    )
    said = say(model_app, DANA, "how is the Tailspin deal going?")
    assert said == "Tailspin route optimisation is Priya Shah's deal, at £120,000."
    tailspin, globex, omar_summary = tool_outputs(openai_server.requests)
    assert "account: Tailspin Toys" in tailspin and "owner: Priya Shah" in tailspin
    assert globex.startswith("No open deal matching 'Globex freight' is in your scope.")
    assert omar_summary.startswith("'Omar' is not in your team. Your team: Alex Rivera")
    openai_server.script(
        Reply.tool_call("deal_facts", {"deal": "Tailspin"}), Reply(content="Not yours.")
    )
    assert say(model_app, "olga.berg@example.com", "how is the Tailspin deal going?")
    assert tool_outputs(openai_server.requests)[-1].startswith("No open deal matching")


def test_on_a_timeout_or_an_error_the_playbook_answers(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    step = model_app.part(CoachDesk).model
    assert step is not None
    fast = build_chat_model(None, openai_server.base_url, "m", timeout_s=0.3, max_retries=0)
    step.coach = ModelCoach(fast)
    openai_server.script(Reply(content="too late", delay_s=3))
    late = say(model_app, ALEX, "what should I do about Contoso?")
    assert late.startswith("== Contoso service desk · Contoso Ltd · $46,000")
    openai_server.script(Reply.failure(400, "bad request"))
    failed = say(model_app, ALEX, "how's my pipeline?")
    assert failed.startswith("== Pipeline: 3 open, $151,000 ==")
    assert step.coach.usage.failures == 2


def test_small_talk_typos_and_a_role_plays_opening_never_wait_for_the_model(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    assert say(model_app, ALEX, "thanks") == "You're welcome."
    assert say(model_app, ALEX, "chekin") == "Did you mean `checkin`?"
    assert "Role-play: I'm Maria Lopez" in say(model_app, ALEX, "role-play the CFO on Northwind")
    assert openai_server.requests == []  # its turns: tests/integration/test_roleplay_model.py
