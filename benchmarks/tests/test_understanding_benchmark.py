"""The understanding benchmark section reports every field and the totals; its
correctness figures hold (timings are printed by `make bench`, never asserted)."""

from benchmarks import understanding
from benchmarks.run import SECTIONS, Context
from coaching.playbook import load_playbook


def test_the_understanding_section_reports_per_field_and_in_total() -> None:
    assert SECTIONS["understanding"] == "benchmarks.understanding"
    rows = understanding.run(Context(quick=True, postgres_url=None))
    measures = [row.measure for row in rows]
    for spec in load_playbook().fields:
        assert any(measure.startswith(f"{spec.key} (") for measure in measures), spec.key
    totals = {row.measure.split(",")[0]: row for row in rows}
    assert totals["recorded wrongly"].value == "0"
    assert int(totals["recorded wrongly"].baseline) > 0  # the parser it replaces did
    assert totals["asked again"].value.isdecimal()
    model = {row.measure.split(": ")[1]: row for row in rows if row.measure.startswith("model")}
    assert model["recorded wrongly"].value == "0"  # a careless model gets nothing past the checks
    assert int(model["model calls"].value) > 0
    assert all(row.value and row.baseline for row in rows)
