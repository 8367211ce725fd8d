"""Teams gets its HTTP answer before the turn runs: a slow model cannot make Bot Service
give up (it waits about 15 s). The reply still arrives through the connector, turns of
one conversation keep their order, and a retried activity is answered once."""

import asyncio
import threading

from support import with_stand_in
from teams_support import TeamsServer, message

from bot.bootstrap import App
from bot.engine.feature import Command, Feature
from bot.engine.messages import Incoming, Message
from bot.engine.turn import Turn
from testkit.botframework_connector import FakeConnector


class SlowModel:
    """A model call that takes as long as the test wants: it returns when `answer` is set."""

    def __init__(self) -> None:
        self.called = threading.Event()
        self.answer = threading.Event()

    def read(self, _incoming: Incoming, args: str) -> str:
        self.called.set()
        assert self.answer.wait(30), "the test never let the model answer"
        return f"the model read “{args}”"


def slow_app(teams_app: App, model: SlowModel) -> App:
    def digest(turn: Turn) -> None:
        turn.out.send(Message.text(str(turn.prepared)))

    def team(turn: Turn) -> None:
        turn.out.send(Message.text("the team, after the digest"))

    feature = Feature(
        "managers",
        commands=(Command(("digest",), digest), Command(("team",), team)),
        preparers={"digest": model.read},
    )
    return with_stand_in(teams_app, feature)


def test_the_request_is_answered_before_the_model_and_the_reply_follows(
    teams_app: App, connector: FakeConnector
) -> None:
    model = SlowModel()

    async def scenario() -> None:
        async with TeamsServer(slow_app(teams_app, model)) as server:
            status, _ = await server.post(message(connector, "digest now"), settle=False)
            assert status == 202
            await asyncio.to_thread(model.called.wait, 30)
            assert not model.answer.is_set()  # answered while the model is still thinking
            await server.deliver()
            assert connector.posts == []
            model.answer.set()
            await server.transport.endpoint.turns.idle()
            await server.deliver()

    asyncio.run(scenario())
    assert [post.text for post in connector.posts] == ["the model read “now”"]


def test_turns_of_one_chat_keep_their_order_and_a_retry_is_answered_once(
    teams_app: App, connector: FakeConnector
) -> None:
    model = SlowModel()
    first = message(connector, "digest please")
    then = message(connector, "team")

    async def scenario() -> None:
        async with TeamsServer(slow_app(teams_app, model)) as server:
            assert (await server.post(first, settle=False))[0] == 202
            await asyncio.to_thread(model.called.wait, 30)
            assert (await server.post(then, settle=False))[0] == 202
            assert (await server.post(first, settle=False))[0] == 202  # Bot Service retries
            model.answer.set()
            await server.transport.endpoint.turns.idle()
            await server.deliver()

    asyncio.run(scenario())
    assert [post.text for post in connector.posts] == [
        "the model read “please”",
        "the team, after the digest",
    ]
