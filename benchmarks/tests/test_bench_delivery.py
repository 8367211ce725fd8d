"""The delivery benchmark works end to end (tiny sizes): rows for every backend, and no
message lost or duplicated. Its timings are printed by `make bench`, never asserted."""

import os

import pytest

from benchmarks import delivery_rate_limits as section
from benchmarks.run import Context
from testkit.slack_api import RateLimits

TINY = section.Sizes(24, 6, RateLimits(1.0, 3, workspace=8.0, workspace_burst=4))


@pytest.mark.slow
def test_the_delivery_section_loses_and_duplicates_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(section, "QUICK", TINY)
    context = Context(quick=True, postgres_url=os.environ.get("DEALCOACH_TEST_POSTGRES_URL"))
    rows = {row.measure: row for row in section.run(context)}
    for backend in context.backends:
        assert rows[f"{backend}: messages/s under rate limits"].ratio is not None
        assert rows[f"{backend}: messages lost"].value == "0"
        assert rows[f"{backend}: messages duplicated"].value == "0"
        assert rows[f"{backend}: 429 answers from Slack"].note.endswith("not sent at the end: 0")
