"""Property-based tests: whatever a rep types, the reader answers sensibly and never fails."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.dates import parse_date, parse_duration
from coaching.playbook import NONE, UNKNOWN, load_playbook
from coaching.understanding import (
    Answered,
    KnownPerson,
    ProposedFact,
    ReplyContext,
    Unclear,
    explain,
    understand,
)

PLAYBOOK = load_playbook()
FIELDS = st.sampled_from(PLAYBOOK.fields)
TODAY = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
WORDS = st.sampled_from(
    ["next", "friday", "end", "of", "q3", "budget", "yes", "no", "not", "sure", "3", "/", "5",
     "maria", "Lopez", "in", "2", "weeks", "skip", ",", "?", "CFO", "approved", "12/15/2026"]
)  # fmt: skip
PHRASES = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=8).map(" ".join))


@settings(max_examples=400, deadline=None)
@given(spec=FIELDS, text=PHRASES, today=TODAY)
def test_any_text_gets_valid_facts_or_a_reason(spec, text, today) -> None:
    people = (KnownPerson("Maria Lopez", "CFO"), KnownPerson("Tom Becker"))
    reading = understand(text, ReplyContext(PLAYBOOK, spec.key, today, people=people))
    if isinstance(reading, Unclear):
        assert explain(reading.reason, spec)
    if isinstance(reading, Answered):
        assert reading.asked.field == spec.key
        for fact in reading.facts:
            _valid(fact)


def _valid(fact: ProposedFact) -> None:
    """A fact holds a value its field allows."""
    spec = PLAYBOOK.field(fact.field)
    assert fact.value and fact.confidence in {"high", "medium", "low"}
    if fact.value in {UNKNOWN, NONE}:
        return
    if spec.kind == "choice" and not spec.allow_text:
        assert spec.option(fact.value) is not None
    if spec.kind == "scale":
        assert spec.scale and spec.scale.min <= int(fact.value) <= spec.scale.max
    if spec.kind == "date":
        dt.date.fromisoformat(fact.value)


@settings(max_examples=400, deadline=None)
@given(text=PHRASES, today=TODAY)
def test_date_phrases_never_fail(text, today) -> None:
    reading = parse_date(text, today)
    assert reading.value is None or isinstance(reading.value, dt.date)
    assert not (reading.ambiguous and reading.value is not None)


@given(today=TODAY, days=st.integers(min_value=0, max_value=3000))
def test_an_iso_date_reads_as_itself(today, days) -> None:
    day = dt.date(2000, 1, 1) + dt.timedelta(days=days)
    assert parse_date(day.isoformat(), today).value == day


@given(count=st.integers(min_value=1, max_value=500), unit=st.sampled_from("mhdw"))
def test_durations(count, unit) -> None:
    expected = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit]
    assert parse_duration(f"{count}{unit}") == dt.timedelta(**{expected: count})
