"""Risk scan and weekly digests at scale, against one hand-written aggregate query.

The check-in benchmark's synthetic pipeline (10,000 reps, 100,000 open deals,
1,000,000 answers) with 1,000 managers in eight time zones, every digest due at the
measured instant, 20,000 won and lost deals with their stage changes and 10,000
close-date pushes; then the public crm-sample (14,277 deals, 6 managers), as issue 6
asked. Each is loaded once per backend (then ANALYZEd), and measured in this order:
the floor query, a first scan (it raises every warning), a repeat scan (the hourly
steady state: nothing new) and all digests; wall time and SQL statements.

The floor is one statement reading what the scan and the digests must read, and
aggregating it per team inside the database: every open deal with each field's
latest answer and the length of its history, the close-date pushes, the won and
lost deals with their stage changes. It evaluates no rule and writes nothing; no
implementation that reads those rows can do less.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from benchmarks.backends import analyze, database_for
from benchmarks.counting import Measurement, measure
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from bot.bootstrap import build_app
from bot.infra.services import Services
from bot.managers.desk import ManagerDesk
from bot.settings import load_settings
from coaching.clock import FixedClock
from coaching.playbook import load_playbook
from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.team_import import import_team
from testkit.crm_sample import crm_sample_dir
from testkit.synthetic import DIGEST_AT, DUE, populate

SECTION = "risk scan & digests"
STATEMENTS_NOTE = "on SQLite each transaction's BEGIN IMMEDIATE counts too"
CRM_NOW = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)  # Monday, after 08:00 in US zones


@dataclass(frozen=True, slots=True)
class Sizes:
    reps: int
    deals: int
    answers: int
    managers: int
    closed: int
    pushes: int

    def scaled(self, factor: float) -> Sizes:
        return Sizes(*(max(1, round(value * factor)) for value in self.counts))

    @property
    def counts(self) -> tuple[int, ...]:
        return (self.reps, self.deals, self.answers, self.managers, self.closed, self.pushes)

    def describe(self) -> str:
        return f"{self.deals:,} deals, {self.answers:,} answers, {self.managers:,} managers"


FULL = Sizes(10_000, 100_000, 1_000_000, 1_000, closed=20_000, pushes=10_000)
QUICK = FULL.scaled(1 / 50)


@dataclass(frozen=True, slots=True)
class Figures:
    """One dataset on one backend: every step's measurement and what it did."""

    label: str
    floor: Measurement
    floor_teams: int
    floor_deals: int
    first_scan: Measurement
    repeat_scan: Measurement
    digests: Measurement
    deals: int
    raised: int
    posted: int
    repeat_raised: int
    digests_due: int
    digests_sent: int
    load_seconds: float


def run(context: Context) -> list[Row]:
    """The harness's entry point: the synthetic pipeline, then the crm-sample."""
    sizes = QUICK if context.quick else FULL
    figures = [synthetic(backend, context.postgres_url, sizes) for backend in context.backends]
    figures += [crm(backend, context.postgres_url) for backend in context.backends]
    return [row for found in figures for row in rows(found)]


def synthetic(backend: str, postgres_url: str | None, sizes: Sizes) -> Figures:
    """Populate once, then measure the floor, the scans and the digests at DUE."""
    with database_for(backend, postgres_url) as database:
        started = time.perf_counter()
        populate(
            database,
            sizes.reps,
            sizes.deals,
            sizes.answers,
            sizes.managers,
            digests_due=True,
            closed=sizes.closed,
            pushes=sizes.pushes,
            valid_values=True,
        )
        loaded = time.perf_counter() - started
        return measure_desk(database, f"{backend}, {sizes.describe()}", DUE, loaded)


def crm(backend: str, postgres_url: str | None) -> Figures:
    """The crm-sample with its team file, dates shifted to CRM_NOW."""
    sample = crm_sample_dir()
    with database_for(backend, postgres_url) as database:
        started = time.perf_counter()
        import_team(database, sample / "sales_teams.csv", encoding=None, default_timezone="UTC")
        options = DealImportOptions(shift_dates_to_today=True)
        report = import_deals(database, sample / "sales_pipeline.csv", options, now=CRM_NOW)
        loaded = time.perf_counter() - started
        label = f"{backend}, crm-sample ({report.rows:,} deals)"
        return measure_desk(database, label, CRM_NOW, loaded)


def measure_desk(database: Database, label: str, now: dt.datetime, loaded: float) -> Figures:
    analyze(database)
    desk = manager_desk(database, now)
    floor, teams = measured(database, lambda: floor_query(database))
    first, first_report = measured(database, lambda: desk.scan.run(now))
    repeat, repeat_report = measured(database, lambda: desk.scan.run(now))
    digests, digest_run = measured(database, lambda: desk.digests.run_due(now))
    return Figures(
        label=label,
        floor=floor,
        floor_teams=len(teams),
        floor_deals=sum(team.open_deals for team in teams),
        first_scan=first,
        repeat_scan=repeat,
        digests=digests,
        deals=first_report.deals,
        raised=first_report.raised,
        posted=first_report.posted,
        repeat_raised=repeat_report.raised + repeat_report.escalated + repeat_report.resolved,
        digests_due=digest_run.due,
        digests_sent=digest_run.sent,
        load_seconds=loaded,
    )


def manager_desk(database: Database, now: dt.datetime) -> ManagerDesk:
    """The managers' side as the bot builds it, with no chat or model configured."""
    settings = load_settings(
        database_url=database.url,
        slack_bot_token=None,
        microsoft_app_id=None,
        openai_api_key=None,
        openai_base_url=None,
        digest_day="mon",
        digest_time=DIGEST_AT.strftime("%H:%M"),
    )
    services = Services(settings, database, load_playbook(), FixedClock(now))
    return build_app(services).part(ManagerDesk)


def measured(database: Database, step: Callable[[], Any]) -> tuple[Measurement, Any]:
    """Wall time and statements of one run of `step`, and what it returned."""
    results: list[Any] = []
    measurement = measure(database.engine, lambda: results.append(step()), memory=False)
    return measurement, results[0]


# The floor: one statement, per team (the owner's manager, else the owner).
FLOOR = """
WITH ranked AS (
    SELECT a.deal_id, a.value,
           ROW_NUMBER() OVER (PARTITION BY a.deal_id, a.field
                              ORDER BY a.answered_at DESC, a.id DESC) AS position,
           COUNT(*) OVER (PARTITION BY a.deal_id, a.field) AS history
    FROM answers a JOIN deals d ON d.id = a.deal_id
    WHERE d.status = 'open'
),
answered AS (
    SELECT deal_id,
           COUNT(*) AS fields,
           SUM(CASE WHEN value = 'unknown' THEN 1 ELSE 0 END) AS unsure,
           SUM(history) AS answers
    FROM ranked WHERE position = 1
    GROUP BY deal_id
),
pushes AS (
    SELECT e.deal_id, COUNT(*) AS pushes
    FROM deal_events e JOIN deals d ON d.id = e.deal_id
    WHERE d.status = 'open' AND e.kind = 'close_date' AND e.new_value > e.old_value
    GROUP BY e.deal_id
),
stage_changes AS (
    SELECT e.deal_id, COUNT(*) AS changes
    FROM deal_events e JOIN deals d ON d.id = e.deal_id
    WHERE d.status = 'won' AND e.kind = 'stage'
    GROUP BY e.deal_id
),
closed AS (
    SELECT COALESCE(p.manager_id, d.owner_id) AS team,
           SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won,
           SUM(CASE WHEN d.status = 'lost' THEN 1 ELSE 0 END) AS lost,
           AVG(CASE WHEN d.status = 'won' THEN {cycle_days} END) AS cycle_days,
           SUM(COALESCE(s.changes, 0)) AS stage_changes
    FROM deals d JOIN people p ON p.id = d.owner_id
    LEFT JOIN stage_changes s ON s.deal_id = d.id
    WHERE d.status IN ('won', 'lost')
    GROUP BY COALESCE(p.manager_id, d.owner_id)
)
SELECT COALESCE(p.manager_id, d.owner_id) AS team,
       COUNT(*) AS open_deals,
       SUM(d.amount) AS pipeline,
       SUM(COALESCE(a.fields, 0)) AS fields_answered,
       SUM(COALESCE(a.unsure, 0)) AS fields_unsure,
       SUM(COALESCE(a.answers, 0)) AS answers,
       SUM(COALESCE(x.pushes, 0)) AS pushes,
       MAX(c.won) AS won, MAX(c.lost) AS lost, MAX(c.cycle_days) AS cycle_days,
       MAX(c.stage_changes) AS stage_changes
FROM deals d
LEFT JOIN people p ON p.id = d.owner_id
LEFT JOIN answered a ON a.deal_id = d.id
LEFT JOIN pushes x ON x.deal_id = d.id
LEFT JOIN closed c ON c.team = COALESCE(p.manager_id, d.owner_id)
WHERE d.status = 'open'
GROUP BY COALESCE(p.manager_id, d.owner_id)
"""
CYCLE_DAYS = {
    "sqlite": "julianday(COALESCE(d.closed_on, d.close_date)) - julianday(d.created_on)",
    "postgresql": "COALESCE(d.closed_on, d.close_date) - d.created_on",
}


def floor_query(database: Database) -> list[Any]:
    """The floor's rows, one per team with open deals."""
    statement = text(FLOOR.format(cycle_days=CYCLE_DAYS[database.engine.dialect.name]))
    with database.engine.connect() as connection:
        return list(connection.execute(statement))


def rows(found: Figures) -> list[Row]:
    floor = found.floor
    baseline = f"floor query {floor.seconds:.2f} s"
    statements = f"{floor.statements} ({found.floor_teams:,} team rows)"

    def timed(step: str, measurement: Measurement, note: str) -> list[Row]:
        return [
            Row(
                SECTION,
                f"{found.label}: {step}, wall time",
                f"{measurement.seconds:.2f} s",
                baseline,
                ratio(measurement.seconds, floor.seconds),
                note,
            ),
            Row(
                SECTION,
                f"{found.label}: {step}, SQL statements",
                f"{measurement.statements}",
                statements,
                ratio(measurement.statements, floor.statements),
                STATEMENTS_NOTE if found.label.startswith("sqlite") else "",
            ),
        ]

    return [
        *timed(
            "first scan",
            found.first_scan,
            f"{found.deals:,} open deals, {found.raised:,} warnings raised, "
            f"{found.posted:,} posted (alert budget); loaded in {found.load_seconds:.0f} s",
        ),
        *timed("repeat scan", found.repeat_scan, f"{found.repeat_raised} changes (nothing new)"),
        *timed(
            "all digests",
            found.digests,
            f"{found.digests_sent:,} sent of {found.digests_due:,} due",
        ),
    ]
