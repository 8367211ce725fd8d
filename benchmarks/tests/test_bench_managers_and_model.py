"""The managers and model-economy benchmark sections run, at tiny sizes, and their
correctness figures hold. Timings are printed by `make bench`, never asserted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks import manager_scan, model_economy
from benchmarks.manager_scan import Figures, Sizes
from benchmarks.run import Context

POSTGRES_URL = os.environ.get("DEALCOACH_TEST_POSTGRES_URL")
TINY = Sizes(reps=16, deals=48, answers=400, managers=4, closed=40, pushes=12)
TINY_X3 = Sizes(reps=16, deals=144, answers=1200, managers=4, closed=120, pushes=36)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def statements(figures: Figures) -> tuple[int, ...]:
    return tuple(
        measurement.statements
        for measurement in (figures.first_scan, figures.repeat_scan, figures.digests)
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_scan_and_digest_statements_do_not_grow_with_the_deals(backend: str) -> None:
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("DEALCOACH_TEST_POSTGRES_URL is not set")
    small = manager_scan.synthetic(backend, POSTGRES_URL, TINY)
    large = manager_scan.synthetic(backend, POSTGRES_URL, TINY_X3)
    for sizes, figures in ((TINY, small), (TINY_X3, large)):
        assert figures.deals == figures.floor_deals == sizes.deals
        assert figures.raised > 0 and figures.repeat_raised == 0
        assert figures.digests_due == figures.digests_sent == sizes.managers
        assert figures.floor_teams == sizes.managers
        assert figures.floor.statements == (2 if backend == "sqlite" else 1)  # + BEGIN
    assert statements(small) == statements(large)
    rows = manager_scan.rows(small)
    assert [row.measure.rsplit(": ", 1)[1] for row in rows] == [
        f"{step}, {figure}"
        for step in ("first scan", "repeat scan", "all digests")
        for figure in ("wall time", "SQL statements")
    ]
    assert all(row.value and row.ratio is not None for row in rows)


def test_the_crm_sample_rows(crm_sample: Path) -> None:
    figures = manager_scan.crm("sqlite", None)
    assert figures.deals == figures.floor_deals > 0 and figures.raised > 0
    assert figures.digests_sent == figures.digests_due == 6
    assert len(manager_scan.rows(figures)) == 6


def test_model_economy_in_quick_mode() -> None:
    economy = model_economy.measure(model_economy.QUICK_ANSWERS)
    answers = economy.answers
    assert sum(cost.count for cost in answers.values()) == model_economy.QUICK_ANSWERS
    assert answers[model_economy.BUTTON].count > 0 and answers[model_economy.BUTTON].calls == 0
    assert answers[model_economy.PARSER_READ].calls == 0
    read = answers[model_economy.MODEL_READ]
    assert read.count > 0 and read.calls == read.count and read.tokens > 0
    assert economy.sources["model"] == read.count
    assert economy.digests.count == 1 and economy.digests.calls == 0
    assert economy.scan.calls == 0
    assert economy.briefing.calls == 1 and economy.briefing_writer.startswith("model:")
    assert economy.counted_calls == economy.server_requests == read.calls + 1
    rows = model_economy.run(Context(quick=True, postgres_url=None))
    assert len(rows) == 8 and all(row.value for row in rows)
