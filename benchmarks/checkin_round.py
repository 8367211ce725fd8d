"""A check-in round at scale: 10,000 reps, 100,000 open deals, 1,000,000 answers.

Every rep is due at the same instant, so one round plans and enqueues 10,000
check-ins. Measured: wall time, statements, peak Python memory (a second run, as
tracing slows Python down). Baseline: one hand-written query reading the newest
answer of every deal and field, the data the round cannot avoid reading. The round
is also run on a tenth of the deals and answers with the same reps, to show that the
statement count does not depend on the number of deals.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from sqlalchemy import text

from benchmarks.backends import analyze, database_for
from benchmarks.counting import measure
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from bot.bootstrap import build_app
from bot.checkins.rounds import CheckinRounds
from bot.infra.services import Services
from bot.settings import load_settings
from coaching.clock import FixedClock
from coaching.playbook import load_playbook
from storage.db import Database
from testkit.synthetic import DUE, populate

NOW = DUE + dt.timedelta(minutes=5)
FLOOR_QUERY = {
    "sqlite": """
        SELECT a.deal_id, a.field, a.value, MAX(a.answered_at)
        FROM answers a JOIN deals d ON d.id = a.deal_id
        WHERE d.status = 'open' GROUP BY a.deal_id, a.field""",
    "postgresql": """
        SELECT DISTINCT ON (a.deal_id, a.field) a.deal_id, a.field, a.value, a.answered_at
        FROM answers a JOIN deals d ON d.id = a.deal_id
        WHERE d.status = 'open' ORDER BY a.deal_id, a.field, a.answered_at DESC""",
}


def run(context: Context) -> list[Row]:
    scale = 50 if context.quick else 1
    reps, deals, answers = 10_000 // scale, 100_000 // scale, 1_000_000 // scale
    rows = []
    for backend in context.backends:
        rows.extend(_backend(backend, context.postgres_url, reps, deals, answers))
    return rows


def _backend(
    backend: str, postgres_url: str | None, reps: int, deals: int, answers: int
) -> list[Row]:
    section = f"check-in round ({backend})"
    size = f"{reps:,} reps, {deals:,} deals, {answers:,} answers"
    with database_for(backend, postgres_url) as database:
        populate(database, reps, deals, answers)
        analyze(database)
        floor = _timed(lambda: _floor(database, backend))
        timed = measure(database.engine, lambda: _round(database), memory=False)
        _forget_claims(database)
        traced = measure(database.engine, lambda: _round(database), memory=True)
    with database_for(backend, postgres_url) as small:
        populate(small, reps, deals // 10, answers // 10)
        analyze(small)
        fewer = measure(small.engine, lambda: _round(small), memory=False)
    return [
        Row(section, f"plan and enqueue a round ({size})", f"{timed.seconds:.2f} s",
            f"{floor:.2f} s (one query: newest answers)", ratio(timed.seconds, floor),
            "target: a couple of seconds"),
        Row(section, "SQL statements", str(timed.statements),
            f"{fewer.statements} with a tenth of the deals",
            ratio(timed.statements, fewer.statements), "independent of the number of deals"),
        Row(section, "peak Python memory", f"{traced.peak_mib:.0f} MiB"),
    ]  # fmt: skip


def _round(database: Database) -> None:
    settings = load_settings(
        database_url=database.url,
        slack_bot_token=None,
        microsoft_app_id=None,
        openai_api_key=None,
        openai_base_url=None,
    )
    services = Services(settings, database, load_playbook(), FixedClock(NOW))
    report = build_app(services).part(CheckinRounds).run_round(NOW)
    assert report.started > 0, "nothing was due: the benchmark would measure nothing"


def _floor(database: Database, backend: str) -> None:
    with database.engine.connect() as connection:
        connection.execute(text(FLOOR_QUERY[backend])).all()


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _forget_claims(database: Database) -> None:
    with database.transaction() as session:
        for table in ("checkin_questions", "checkins", "outbox"):
            session.execute(text(f"DELETE FROM {table}"))
