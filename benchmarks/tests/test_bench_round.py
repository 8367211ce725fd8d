"""The check-in round benchmark runs (tiny sizes); its correctness figures hold."""

import os

from benchmarks import checkin_round
from benchmarks.run import Context


def test_the_round_benchmark_reports_and_statements_do_not_grow_with_deals() -> None:
    context = Context(quick=True, postgres_url=os.environ.get("DEALCOACH_TEST_POSTGRES_URL"))
    rows = checkin_round.run(context)
    statements = [row for row in rows if row.measure == "SQL statements"]
    assert len(statements) == len(context.backends)
    for row in statements:
        assert row.ratio == 1.0, row  # same statements with a tenth of the deals
    assert all(row.value for row in rows)
