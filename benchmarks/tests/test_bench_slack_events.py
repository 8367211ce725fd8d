"""The Slack event-path benchmark works end to end (tiny sizes): both servers run, every
event is acked and answered, every answer is recorded. Timings are never asserted."""

import os

import pytest

from benchmarks import slack_events as section
from benchmarks.run import Context

TINY = section.Sizes(events=12, paced=4, warmup=4)


@pytest.mark.slow
def test_the_slack_section_answers_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(section, "QUICK", TINY)
    monkeypatch.setattr(section, "PACED_RATE", 50.0)
    context = Context(quick=True, postgres_url=os.environ.get("DEALCOACH_TEST_POSTGRES_URL"))
    rows = {row.measure: row for row in section.run(context)}
    assert rows["bare Bolt app: events/s"].note.endswith("events without a reply: 0")
    for backend in context.backends:
        assert rows[f"{backend}: events/s (concurrency 32)"].ratio is not None
        unanswered = rows[f"{backend}: events without a reply"]
        assert unanswered.value == "0"
        assert "not acked 200: 0;" in unanswered.note
        assert unanswered.note.endswith("answers recorded or proposed: 16/16")
