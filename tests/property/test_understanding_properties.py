"""Whatever a rep types, the reader answers in the playbook's vocabulary and never fails."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.playbook import NONE, UNKNOWN, load_playbook
from coaching.understanding import Answered, Correction, KnownPerson, ReplyContext, understand

PLAYBOOK = load_playbook()
FIELDS = st.sampled_from([spec.key for spec in PLAYBOOK.fields])
TODAY = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
WORDS = st.sampled_from(
    ["next", "friday", "end", "of", "q3", "budget", "yes", "no", "not", "sure", "3", "/", "5",
     "maria", "Lopez", "in", "2", "weeks", "skip", ",", "?", "CFO", "approved", "12/15/2026",
     "none", "I", "meant", "change", "champion", "to", "Globex", "the", "15.12.", "maybe",
     "undo", "Tom", "and", "head", "of", "ops", "never", "met", "her", "once", "what"]
)  # fmt: skip
PHRASES = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=10).map(" ".join))
PEOPLE = (KnownPerson("Maria Lopez", "CFO"), KnownPerson("Tom Becker", "Head of Dispatch"))


@settings(max_examples=500, deadline=None)
@given(field=FIELDS, text=PHRASES, today=TODAY, day_first=st.sampled_from([None, True, False]))
def test_any_reply_reads_into_the_playbooks_vocabulary(field, text, today, day_first) -> None:
    context = ReplyContext(
        PLAYBOOK, field, today, people=PEOPLE, competitors=("Globex",), day_first=day_first
    )
    reading = understand(text, context)
    facts = reading.facts if isinstance(reading, Answered | Correction) else ()
    for fact in facts:
        spec = PLAYBOOK.field(fact.field)
        assert fact.confidence in {"high", "medium", "low"}
        assert fact.value
        if fact.value in (UNKNOWN, NONE) and spec.kind != "choice":
            continue
        if spec.kind == "choice" and not spec.allow_text:
            assert spec.option(fact.value) is not None, fact
        elif spec.kind == "scale":
            assert spec.scale and spec.scale.min <= int(fact.value) <= spec.scale.max
        elif spec.kind == "date":
            dt.date.fromisoformat(fact.value)
