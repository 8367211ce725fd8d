"""`dealcoach demo`: the simulated week runs the real use cases end to end."""

import datetime as dt
import io
import re

from bot.cli.demo_week import run_demo

MONDAY = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def test_a_simulated_week() -> None:
    output = io.StringIO()
    run_demo(output, days=7, start=MONDAY)
    text = output.getvalue()
    # Check-ins arrive at 09:30 local on Tuesday and Thursday, in each rep's zone.
    assert "Tue 24 Nov 09:30 America/New_York · dealcoach → Alex Rivera" in text
    assert "Tue 24 Nov 09:30 Europe/London · dealcoach → Priya Shah" in text
    # Priya ignores her first one: one reminder three hours later, then it expires.
    assert (
        "Tue 24 Nov 12:30 Europe/London · dealcoach → Priya Shah\n    Still got a minute?" in text
    )
    assert text.count("Still got a minute?") == 1
    # Sam snoozes for a day instead, and is asked again on Thursday.
    assert "Sam Okafor: snooze 1d" in text
    assert "Thu 26 Nov 09:30 America/Los_Angeles · dealcoach → Sam Okafor" in text
    # Taps and typed answers are recorded and coached.
    assert "Alex Rivera: [taps “Maria Lopez”]" in text
    assert "✓ Decision maker: Maria Lopez" in text
    assert "✓ Champion: Tom Becker" in text
    assert "Priya Shah: they have a defined project, RFP is out" in text
    assert "✓ Need: Defined project" in text
    # The week ends with everyone's cards, showing what the week's answers changed.
    results = text.split("After the week")[1]
    assert re.search(r"Decision maker\s+Maria Lopez \(\d+ days ago\)", results)
    assert re.search(r"Need\s+Defined project \(\d+ days ago\)", results)
    assert "--- Sam Okafor ---" in results
