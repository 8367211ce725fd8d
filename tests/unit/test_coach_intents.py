"""Free phrasing read as what people want from the coach."""

from pathlib import Path

import pytest

from coaching.coach import default_intents, read_intent, suggest_command
from coaching.coach.intents import IntentsError, deal_words, load_intents

BOOK = default_intents()
COMMANDS = ["checkin", "check-in", "deal", "deals", "help", "schedule", "snooze", "ooo", "pause",
            "resume", "stop", "brief", "warnings", "digest", "feedback", "quit"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        ("what should I do about Northwind?", "deal_review", {"deal": "northwind"}),
        ("Review Contoso", "deal_review", {"deal": "contoso"}),
        ("show me the Contoso one", "deal_review", {"deal": "the contoso one"}),
        ("what's wrong with contoso", "deal_review", {"deal": "contoso"}),
        ("How is Northwind going?", "deal_review", {"deal": "northwind"}),
        ("next steps on fabrikam", "deal_review", {"deal": "fabrikam"}),
        ("how's my pipeline?", "pipeline", {}),
        ("what should I focus on this week", "pipeline", {}),
        ("Alex's pipeline", "pipeline", {"who": "alex"}),
        (
            "prep me for the call with the CFO on Thursday",
            "meeting_prep",
            {"who": "the cfo", "when": "thursday", "meeting": "call"},
        ),
        (
            "Prep me for Thursday's meeting with Maria",
            "meeting_prep",
            {"who": "maria", "when": "thursday"},
        ),
        (
            "prepare for the demo with their IT director next tuesday",
            "meeting_prep",
            {"who": "their it director", "when": "next tuesday", "meeting": "demo"},
        ),
        (
            "get me ready for the pitch with Ines on Globex",
            "meeting_prep",
            {"who": "ines", "deal": "globex"},
        ),
        ("role-play the CFO", "role_play", {"who": "the cfo"}),
        ("let's roleplay Maria on Northwind", "role_play", {"who": "maria", "deal": "northwind"}),
        ("play the CFO", "role_play", {"who": "the cfo"}),
        ("how is Alex doing?", "rep_summary", {"who": "alex"}),
        ("How's Priya Shah getting on", "rep_summary", {"who": "priya shah"}),
        ("which deals will slip this quarter?", "slipping", {}),
        ("what's slipping", "slipping", {}),
        ("prep my 1:1 with Alex", "one_on_one", {"who": "alex"}),
        ("one-on-one with sam tomorrow", "one_on_one", {"who": "sam", "when": "tomorrow"}),
    ],
)
def test_free_phrasing_becomes_an_intent_with_its_slots(text: str, kind: str, slots: dict) -> None:
    intent = read_intent(text, BOOK)
    assert intent.kind == kind
    for key, value in slots.items():
        assert getattr(intent, key) == value, key


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("hi", "greeting"),
        ("Good morning!", "greeting"),
        ("thanks", "thanks"),
        ("Thank you so much", "thanks"),
        ("how are you?", "how_are_you"),
        ("how's it going", "how_are_you"),
        ("bye", "bye"),
        ("ok", "acknowledge"),
        ("who are you?", "identity"),
        ("what can you do", "capabilities"),
    ],
)
def test_small_talk_is_recognised_before_anything_else(text: str, topic: str) -> None:
    intent = read_intent(text, BOOK)
    assert (intent.kind, intent.topic) == ("small_talk", topic)


@pytest.mark.parametrize(
    "text", ["what's the weather like?", "book me a flight to Paris", "northwind"]
)
def test_anything_else_is_unknown(text: str) -> None:
    assert read_intent(text, BOOK).kind == "unknown"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("chekin", "checkin"),
        ("dael northwind", "deal northwind"),
        ("hepl", "help"),
        ("sheduel", "schedule"),
        ("warnigns", "warnings"),
        ("paus contoso", "pause contoso"),
    ],
)
def test_a_mistyped_command_is_suggested(typed: str, meant: str) -> None:
    assert suggest_command(typed, COMMANDS) == meant


@pytest.mark.parametrize("typed", ["hello", "deals", "hi", "weather today", ""])
def test_real_words_and_real_commands_get_no_suggestion(typed: str) -> None:
    assert suggest_command(typed, COMMANDS) is None


def test_filler_around_a_deal_name_is_dropped() -> None:
    assert deal_words("the Contoso one", BOOK) == "contoso"
    assert deal_words("my Northwind deal", BOOK) == "northwind"


def test_a_bad_pattern_in_the_intents_file_says_where(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    path.write_text(
        "intents:\n  pipeline: ['(']\nsmall_talk: {}\nwhen: 'x'\ndeal_filler: []\n",
        encoding="utf-8",
    )
    with pytest.raises(IntentsError, match="invalid"):
        load_intents(path)
    path.write_text(
        "intents:\n  dance: ['x']\nsmall_talk: {}\nwhen: 'x'\ndeal_filler: []\n", encoding="utf-8"
    )
    with pytest.raises(IntentsError, match="unknown intent 'dance'"):
        load_intents(path)
