"""Signals read from notes with the phrase lexicon: kind, verbatim quote, date, source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coaching.evidence.lexicon import KINDS, LexiconError, load_lexicon
from coaching.evidence.model import Activity
from coaching.evidence.reading import quote_is_verbatim, read_activities, read_text

LEXICON = load_lexicon()
ON = dt.date(2026, 11, 20)


def kinds_in(text: str) -> dict[str, str]:
    signals = read_text(LEXICON, text, deal_id=1, occurred_on=ON, source="note", source_ref="n1")
    first: dict[str, str] = {}
    for signal in signals:
        first.setdefault(signal.kind, signal.quote)
    return first


@pytest.mark.parametrize(
    ("text", "kind", "quote"),
    [
        (
            "Call with Priya. Budget frozen until Q2. She'll push.",
            "budget_blocked",
            "Budget frozen until Q2",
        ),
        (
            "They asked for a third reference call, this time in retail.",
            "repeated_request",
            "They asked for a third reference call, this time in retail",
        ),
        (
            "Ops lead said: we need to learn to walk before we run.",
            "fear_of_change",
            "Ops lead said: we need to learn to walk before we run",
        ),
        (
            "Maria worries about the change for the team",
            "fear_of_change",
            "Maria worries about the change for the team",
        ),
        (
            "Wants what-if pricing for 3 and 5 years",
            "request",
            "Wants what-if pricing for 3 and 5 years",
        ),
        (
            "Could we do another demo for finance?",
            "repeated_request",
            "Could we do another demo for finance?",
        ),
        (
            "Left a voicemail, no reply to my last two emails.",
            "follow_up_unanswered",
            "Left a voicemail, no reply to my last two emails",
        ),
        (
            "All contact goes through the partner; no direct access to the CIO.",
            "partner_led",
            "All contact goes through the partner",
        ),
        (
            "Tom is not sure he can get this past the CFO.",
            "champion_wavering",
            "Tom is not sure he can get this past the CFO",
        ),
        (
            "Their current vendor is up for renewal in March.",
            "incumbent",
            "Their current vendor is up for renewal in March",
        ),
        (
            "The steering committee decides in Q1.",
            "decision_timeline",
            "The steering committee decides in Q1",
        ),
        (
            "No rush on their side, revisit next year.",
            "no_urgency",
            "No rush on their side, revisit next year",
        ),
    ],
)
def test_each_kind_quotes_its_sentence_verbatim(text: str, kind: str, quote: str) -> None:
    found = kinds_in(text)
    assert found.get(kind) == quote
    assert quote in text


def test_a_signal_keeps_its_date_and_source() -> None:
    activity = Activity(
        deal_id=7,
        kind="note",
        status="completed",
        occurred_at=dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC),
        subject="Budget",
        body="Finance says the budget is frozen until Q2.",
        contact_name=None,
        contact_email=None,
        direction="rep",
        source="salesforce",
        source_ref="00T1",
    )
    (signal,) = [s for s in read_activities(LEXICON, [activity]) if s.kind == "budget_blocked"]
    assert (signal.deal_id, signal.occurred_on, signal.source, signal.source_ref) == (
        7,
        ON,
        "note",
        "salesforce:00T1",
    )
    assert signal.quote == "Finance says the budget is frozen until Q2"


def test_a_scheduled_activity_says_nothing_yet() -> None:
    planned = Activity(
        7,
        "meeting",
        "scheduled",
        dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        "Another demo",
        None,
        None,
        None,
        "buyer",
        "csv",
        "m1",
    )
    assert read_activities(LEXICON, [planned]) == []


def test_phrases_match_on_word_boundaries_and_across_line_breaks() -> None:
    assert "request" not in kinds_in("The demographics are fine.")
    assert kinds_in("They want to walk\nbefore we   run")["fear_of_change"]


def test_a_long_sentence_is_cut_to_whole_words_around_the_phrase() -> None:
    text = ("word " * 80) + "the budget is frozen until Q2 " + ("more " * 80)
    quote = kinds_in(text)["budget_blocked"]
    assert "budget is frozen" in quote and quote in text and len(quote) <= 200
    assert not quote.startswith("ord") and quote.split()[0] in ("word", "the")


def test_one_signal_per_kind_and_sentence() -> None:
    signals = read_text(
        LEXICON,
        "No budget, no budget at all. No budget again.",
        deal_id=1,
        occurred_on=ON,
        source="note",
        source_ref="n",
    )
    assert [s.quote for s in signals if s.kind == "budget_blocked"] == [
        "No budget, no budget at all",
        "No budget again",
    ]


def test_a_team_extends_the_lexicon_with_its_own_file(tmp_path: Path) -> None:
    extra = tmp_path / "ours.yaml"
    extra.write_text(
        "kinds:\n  fear_of_change:\n    phrases: [baby steps]\ncompetitors: [Gong, Clari]\n",
        encoding="utf-8",
    )
    ours = load_lexicon(extra)
    found = {
        s.kind: s.quote
        for s in read_text(
            ours,
            "They prefer baby steps. Also seeing Clari next week.",
            deal_id=1,
            occurred_on=ON,
            source="note",
            source_ref="n",
        )
    }
    assert found == {
        "fear_of_change": "They prefer baby steps",
        "competitor": "Also seeing Clari next week",
    }
    assert ours.topic("competitor", found["competitor"]) == "Clari"
    shipped_too = read_text(
        ours, "Walk before we run.", deal_id=1, occurred_on=ON, source="note", source_ref="n"
    )
    assert [s.kind for s in shipped_too] == ["fear_of_change"]


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("kinds:\n  gossip:\n    phrases: [x]\n", "unknown kind 'gossip'"),
        ("kinds:\n  request:\n    phrases: 'demo'\n", "kinds.request.phrases must list"),
        ("kinds:\n  request:\n    phrases: ['re:(unclosed']\n", "not a valid expression"),
        ("signals: {}\n", "unknown key 'signals'"),
        ("competitors: Gong\n", "competitors must list names"),
    ],
)
def test_a_broken_team_file_says_what_to_fix(tmp_path: Path, content: str, complaint: str) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=complaint.replace("(", r"\(")):
        load_lexicon(extra)


def test_the_shipped_lexicon_covers_every_kind() -> None:
    assert set(LEXICON.patterns) == set(KINDS)


def test_verbatim_check_tolerates_only_spacing() -> None:
    text = "We need to learn to walk\nbefore we run."
    assert quote_is_verbatim("learn to walk before we run", text)
    assert not quote_is_verbatim("learn to crawl before we run", text)
    assert not quote_is_verbatim("LEARN TO WALK", text)
    assert not quote_is_verbatim("  ", text)
