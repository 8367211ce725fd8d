"""Features plug into the engine as data: the engine routes to what they declare, lists
their help lines, and refuses two features that claim the same word or button."""

import pytest
from support import person_id, texts, with_stand_in

from bot import coach
from bot.bootstrap import FEATURES, App, build_app
from bot.engine.engine import ConversationEngine, FeatureConflict
from bot.engine.feature import Command, Feature, Tick
from bot.engine.messages import Incoming, Message
from bot.engine.turn import Turn

ALEX = "alex@example.com"
DANA = "dana@example.com"
WITHOUT_COACH = tuple(factory for factory in FEATURES if factory is not coach.feature)
REP_HELP = """Here is what I understand:
• `checkin`: a check-in now, on what is unknown or stale
• `deals`: your open deals, with their gaps
• `deal NAME`: one deal's qualification card: what is known, how old each answer is, what is missing
• `snooze 3d` (or `2h`, `1w`, `until Monday`), `unsnooze`: pause check-ins for a while
• `ooo until 2026-12-14`, `ooo off`: out of office
• `schedule`: when your check-ins come; `schedule mon,thu 08:30`, `schedule questions 3`
• `pause DEAL until DATE because REASON`, `resume DEAL`: park a deal
• `undo` takes back your last answer; “change champion to Priya Shah” (or “change the champion on Northwind to …”) corrects one, any time
• `brief DEAL`: a one-page briefing for your champion; `edit N`, `approve N`, `discard N`
• `help`: this list
During a check-in: answer with a number or in your own words; `skip`, `stop`; `undo` takes back your last answer, “no, I meant Tom” or “change champion to Priya Shah” corrects one.
Or just ask, in your own words: “what should I do about Northwind?”, “how's my pipeline?”, “prep me for the call with the CFO on Thursday”, “role-play the CFO”; managers: “how is Alex doing?”, “which deals will slip this quarter?”, “prep my 1:1 with Alex”."""  # noqa: E501
QUIT_HELP = "`quit` (or `exit`): leave this terminal chat"  # the console's own line
MANAGER_HELP = """For your team:
• `warnings`: your team's open warnings, with their reasons; `feedback N useful` (or `not_useful`, `handled`)
• `digest`: this week's digest now; `digest here` (in a channel) sends it there, `digest dm` to you, `digest day fri` moves it
• `team schedule tue,thu 09:00`: your team's default check-in rhythm"""  # noqa: E501


def said(app: App, who: str, text: str) -> list[str]:
    database = app.services.database
    before = len(texts(database))
    app.engine.handle(Incoming(person_id=person_id(database, who), text=text))
    return texts(database)[before:]


def test_help_lists_every_features_lines_reps_then_managers(app: App) -> None:
    assert said(app, ALEX, "help") == [f"{REP_HELP}\n{QUIT_HELP}"]
    assert said(app, DANA, "help") == [f"{REP_HELP}\n{MANAGER_HELP}\n{QUIT_HELP}"]


def test_a_new_feature_is_one_factory_away(app: App) -> None:
    """A command, a button and a fallback for free text nothing else took, all from a
    feature registered beside the others."""

    def ping(turn: Turn) -> None:
        turn.out.send(Message.text(f"pong {turn.args}"))

    def answer_anything(turn: Turn, text: str) -> bool:
        turn.out.send(Message.text(f"the coach heard: {text}"))
        return True

    coach = Feature(
        "coach",
        commands=(Command(("ping",), ping),),
        fallbacks=(answer_anything,),
    )
    bot = build_app(app.services, features=(*WITHOUT_COACH, lambda _context: coach))
    assert said(bot, ALEX, "ping twice") == ["pong twice"]
    assert said(bot, ALEX, "what should I do about Northwind?") == [
        "the coach heard: what should I do about Northwind?"
    ]
    assert said(bot, ALEX, "skip") == [  # the check-ins' own fallback comes first
        "That check-in is over. Type `checkin` to start a new one."
    ]


def test_without_a_fallback_free_text_gets_the_engines_reply(app: App) -> None:
    bare = build_app(app.services, features=WITHOUT_COACH)
    assert said(bare, ALEX, "what should I do about Northwind?") == [
        "I didn't understand “what should I do about Northwind?”. Type `help` to see what I can do."
    ]


def test_a_check_in_answer_wins_over_a_fallback(app: App) -> None:
    bot = with_stand_in(app, Feature("managers", fallbacks=(lambda _turn, _text: True,)))
    said(bot, ALEX, "checkin")
    assert said(bot, ALEX, "1")[0].startswith("✓ Decision maker: Maria Lopez")


def test_a_question_during_a_check_in_goes_to_the_fallback_then_the_check_in_resumes(
    app: App,
) -> None:
    def coach(turn: Turn, text: str) -> bool:
        turn.out.send(Message.text(f"the coach heard: {text}"))
        return True

    listener = Feature("listener", fallbacks=(coach,))
    bot = build_app(app.services, features=(*WITHOUT_COACH, lambda _context: listener))
    said(bot, ALEX, "checkin")
    replies = said(bot, ALEX, "what should I do about Northwind?")
    assert replies[0] == "the coach heard: what should I do about Northwind?"
    assert replies[1].startswith("Back to the check-in:")
    assert "who makes the final decision?" in replies[1]
    assert said(bot, ALEX, "1")[0].startswith("✓ Decision maker: Maria Lopez")


def test_without_a_coach_a_question_during_a_check_in_waits_for_its_end(app: App) -> None:
    bare = build_app(app.services, features=WITHOUT_COACH)
    said(bare, ALEX, "checkin")
    replies = said(bare, ALEX, "what should I do about Northwind?")
    assert replies[0] == "I'll answer that after the check-in."
    assert replies[1].startswith("Back to the check-in:")
    assert said(bare, ALEX, "1")[0].startswith("✓ Decision maker: Maria Lopez")


@pytest.mark.parametrize(
    "clash",
    [
        Feature("echo", commands=(Command(("deals",), lambda turn: None),)),
        Feature("echo", commands=(Command(("help",), lambda turn: None),)),
        Feature("echo", actions={"answer": lambda turn, value: None}),
        Feature("echo", preparers={"brief": lambda incoming, args: None}),
    ],
)
def test_two_features_cannot_claim_the_same_word_or_button(app: App, clash: Feature) -> None:
    with pytest.raises(FeatureConflict, match="is claimed by both"):
        ConversationEngine(app.services.database, app.services.clock, (*app.features, clash))


def test_every_tick_has_its_own_id(app: App) -> None:
    ids = [tick.id for tick in app.ticks]
    assert len(ids) == len(set(ids))
    assert {"checkins", "briefings", "risk_scan", "digests"} <= set(ids)
    assert {"replay-kept-messages", "housekeeping"} <= set(ids)
    assert all(isinstance(tick, Tick) and tick.every.total_seconds() > 0 for tick in app.ticks)


def test_features_and_the_console_need_no_chat_transport(app: App) -> None:
    assert app.chat_transports() == []
    assert [feature.name for feature in app.features] == [
        "checkins",
        "briefings",
        "managers",
        "coach",
    ]
