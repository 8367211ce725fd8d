"""Property-based tests: whatever a rep types, the parser answers sensibly and never fails."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.answer_parser import parse_answer
from coaching.dates import parse_date, parse_duration
from coaching.playbook import UNKNOWN, load_playbook

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
def test_any_text_gets_a_valid_reading_or_a_reason(spec, text, today) -> None:
    parsed = parse_answer(spec, text, today, ("Maria Lopez", "Tom Becker"))
    assert parsed.outcome in {"answer", "unsure", "skip", "unclear"}
    assert 0 <= parsed.confidence <= 1
    if parsed.outcome == "unclear":
        assert parsed.value is None and parsed.hint
    elif parsed.outcome == "unsure":
        assert parsed.value == UNKNOWN
    elif parsed.outcome == "answer":
        assert parsed.value
        if spec.kind == "choice" and not spec.allow_text:
            assert spec.option(parsed.value) is not None
        if spec.kind == "scale":
            assert spec.scale and spec.scale.min <= int(parsed.value) <= spec.scale.max
        if spec.kind == "date":
            dt.date.fromisoformat(parsed.value)


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
