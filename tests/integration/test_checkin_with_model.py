"""Replies the reader is not sure of go to the model, over real HTTP; what the model
reads is checked like any reading."""

import pytest
from support import make_services, person_id, texts

from bot.bootstrap import App, build_app
from bot.engine.messages import Incoming
from bot.infra.services import Services
from coaching.clock import FixedClock
from storage.db import Database
from storage.models import Answer
from testkit.openai_server import FakeOpenAIServer, Reply

ALEX = "alex@example.com"


@pytest.fixture
def model_runtime(
    demo_services: Services, database: Database, clock: FixedClock, openai_server: FakeOpenAIServer
) -> App:
    services = make_services(database, clock, openai_base_url=openai_server.base_url)
    return build_app(services)


def reply(value: object, confidence: float = 0.85, unsure: bool = False) -> Reply:
    return Reply.json(
        {"value": value, "confidence": confidence, "unsure": unsure, "words": "", "extras": []}
    )


def say(app: App, text: str) -> None:
    alex = person_id(app.services.database, ALEX)
    app.engine.handle(Incoming(person_id=alex, text=text))


def authority_answers(app: App) -> list[Answer]:
    with app.services.database.transaction() as session:
        return list(
            session.query(Answer).filter(Answer.field == "authority", Answer.source != "demo")
        )


def test_model_reads_what_the_reader_cannot(
    model_runtime: App, openai_server: FakeOpenAIServer
) -> None:
    say(model_runtime, "checkin")
    openai_server.script(reply("Maria Lopez", 0.9))
    say(model_runtime, "hmm, well, the one upstairs who holds the purse strings")
    [answer] = authority_answers(model_runtime)
    assert (answer.value, answer.source) == ("Maria Lopez", "model")
    [request] = openai_server.requests
    assert "<answer>" in request.user and "purse strings" in request.user
    assert request.json_schema is not None


def test_a_reading_the_reader_is_not_sure_of_goes_to_the_model_and_is_confirmed(
    model_runtime: App, openai_server: FakeOpenAIServer
) -> None:
    say(model_runtime, "checkin")
    openai_server.script(reply("Maria Lopez", 0.7))
    say(model_runtime, "whoever holds the purse strings, so their finance chief")
    assert len(openai_server.requests) == 1  # medium confidence: the model is asked too
    assert authority_answers(model_runtime) == []
    assert texts(model_runtime.services.database)[-1].startswith(
        "Record Maria Lopez (CFO) as decision maker?"
    )
    say(model_runtime, "yes")
    [answer] = authority_answers(model_runtime)
    assert answer.value == "Maria Lopez"
    assert len(openai_server.requests) == 1  # a yes costs no model call


def test_a_models_person_that_is_not_one_is_refused(
    model_runtime: App, openai_server: FakeOpenAIServer
) -> None:
    say(model_runtime, "checkin")
    openai_server.script(reply("next quarter maybe", 0.95))
    say(model_runtime, "hmm, well, the one upstairs")
    assert authority_answers(model_runtime) == []
    assert texts(model_runtime.services.database)[-1].startswith(
        "I couldn't read that as decision maker"
    )


def test_parsed_answers_cost_no_model_call(
    model_runtime: App, openai_server: FakeOpenAIServer
) -> None:
    say(model_runtime, "checkin")
    say(model_runtime, "Maria")
    say(model_runtime, "deals")
    assert openai_server.requests == []


def test_low_confidence_or_failure_means_asking_again(
    model_runtime: App, openai_server: FakeOpenAIServer
) -> None:
    say(model_runtime, "checkin")
    openai_server.script(reply("Maria Lopez", 0.3), Reply.failure(500, "boom"))
    say(model_runtime, "hmm, well, the one upstairs")
    say(model_runtime, "eh, the big cheese")
    assert authority_answers(model_runtime) == []
    replies = texts(model_runtime.services.database)
    assert replies[-2].startswith("I couldn't read that as decision maker")
    assert replies[-1].startswith("I couldn't read that as decision maker")
