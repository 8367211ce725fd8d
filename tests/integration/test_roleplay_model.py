"""Role-play with a model configured, over real HTTP to the fake OpenAI-compatible
server: each rep line of a role-play in progress goes to the model, which speaks the
stakeholder in the scene the deterministic role-play sets (the deal's concerns, the one
to press now, the conversation so far, kept in the coach session); a line naming a
figure or a name it was not given, a timeout or an error leave the turn to the
deterministic role-play; the debrief is always the deterministic one."""

from __future__ import annotations

import pytest
from support import make_services, person_id, texts

from bot.bootstrap import App, build_app
from bot.coach.desk import CoachDesk
from bot.engine.messages import Incoming
from bot.engine.outgoing import person_address
from bot.infra.services import Services
from coaching.clock import FixedClock
from prompts.llm import ModelRolePlayer, build_chat_model
from storage.db import Database
from testkit.openai_server import FakeOpenAIServer, Reply

ALEX = "alex@example.com"
OPENING = "role-play the CFO on Northwind"
OFF_TOPIC = "what? how is that relevant to anything?"  # handles nothing: a push-back
PUSH = "Maria Lopez: “I still haven't heard a number. When does it pay back?”"
CONCERNS = (
    "<concerns>\n"
    "$84,000 is real money. When does this pay for itself, and how sure are you of that?\n"
    "You keep mentioning a deadline. Is it really that urgent, or could this wait?\n"
    "This date has already moved 2 times. Why should I believe Saturday 5 December?\n"
    "</concerns>"
)


@pytest.fixture
def model_app(
    demo_services: Services, database: Database, clock: FixedClock, openai_server: FakeOpenAIServer
) -> App:
    return build_app(make_services(database, clock, openai_base_url=openai_server.base_url))


def say(app: App, text: str) -> str:
    database = app.services.database
    recipient = person_address(person_id(database, ALEX))
    before = len(texts(database, recipient))
    app.engine.handle(Incoming(person_id=person_id(database, ALEX), text=text))
    return "\n".join(texts(database, recipient)[before:])


def test_the_model_speaks_the_stakeholder_from_the_deals_concerns_and_the_conversation(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    assert "Role-play: I'm Maria Lopez (CFO)" in say(model_app, OPENING)
    assert openai_server.requests == []  # the opening is the playbook's
    push = "That doesn't answer me. When does this pay for itself?"
    nudge = "Noted. But is it really that urgent, or could this wait?"
    openai_server.script(Reply(content=push), Reply(content=nudge))
    assert say(model_app, OFF_TOPIC) == f"Maria Lopez: “{push}”"
    assert say(model_app, "Every month we wait costs them money.") == f"Maria Lopez: “{nudge}”"
    first, second = openai_server.requests
    assert "<who>\nMaria Lopez (CFO)\n</who>" in first.user
    assert "<deal>\nNorthwind fleet analytics\n</deal>" in first.user
    assert CONCERNS in first.user
    assert "<press>\nI still haven't heard a number. When does it pay back?\n</press>" in first.user
    assert "Push back on it" in first.system
    assert "Stay in character" in first.system
    assert (
        "<conversation>\n"
        "Maria Lopez: $84,000 is real money. "
        "When does this pay for itself, and how sure are you of that?\n"
        f"Rep: {OFF_TOPIC}\n"
        f"Maria Lopez: {push}\n"
        "</conversation>"
    ) in second.user
    assert "<press>\nYou keep mentioning a deadline." in second.user
    debrief = say(model_app, "end")
    assert debrief.startswith(
        "== Debrief: role-play with Maria Lopez (CFO) · Northwind fleet analytics =="
    )
    assert "Not reached\n• Why now, Dates that moved" in debrief  # the playbook's count of turns
    assert len(openai_server.requests) == 2  # the debrief is never the model's
    usage = model_app.part(CoachDesk).model.coach.usage  # type: ignore[union-attr]
    assert (usage.calls, usage.failures) == (2, 0)  # counted with the coach's
    assert usage.total_tokens > 0


def test_a_line_naming_what_the_model_was_not_given_is_replaced_by_the_playbooks(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    say(model_app, OPENING)
    invented = "Globex quoted us $60,000 for this, and Bob Smith decides, not me."
    openai_server.script(Reply(content=invented), Reply(content="Go on."))
    assert say(model_app, OFF_TOPIC) == PUSH
    assert say(model_app, "Every month we wait costs them money.") == "Maria Lopez: “Go on.”"
    conversation = openai_server.requests[1].user
    assert "Maria Lopez: I still haven't heard a number. When does it pay back?" in conversation
    assert "Globex" not in conversation


def test_on_a_timeout_or_an_error_the_playbook_plays_the_turn(
    model_app: App, openai_server: FakeOpenAIServer
) -> None:
    roleplay_model = model_app.part(CoachDesk).roleplay_model
    assert roleplay_model is not None
    fast = build_chat_model(None, openai_server.base_url, "m", timeout_s=0.3, max_retries=0)
    roleplay_model.player = ModelRolePlayer(fast)
    say(model_app, OPENING)
    openai_server.script(Reply(content="too late", delay_s=3))
    assert say(model_app, OFF_TOPIC) == PUSH
    openai_server.script(Reply.failure(500, "boom"))
    moved_on = say(model_app, "Every month we wait costs them money.")
    assert "Maria Lopez: “You keep mentioning a deadline." in moved_on
    assert roleplay_model.player.usage.failures == 2


def test_without_a_model_the_role_play_is_the_playbooks(app: App) -> None:
    desk = app.part(CoachDesk)
    assert desk.model is None and desk.roleplay_model is None
    say(app, OPENING)
    assert say(app, OFF_TOPIC) == PUSH
    moved_on = say(app, "Every month we wait costs them money.")
    assert "Maria Lopez: “You keep mentioning a deadline." in moved_on
    assert say(app, "end").startswith("== Debrief: role-play with Maria Lopez (CFO)")
