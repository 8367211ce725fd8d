"""Fewer, truer warnings: the crm-sample before and after its synthetic activity log.

The crm-sample (14,277 deals, 4,346 open, 6 managers) is imported with its dates
shifted to the measured day, then scanned without evidence (the baseline: what the
rules see from the CRM alone), then the synthetic activity log of testkit.activity_log
is imported (its notes read with the signal lexicon) and the deals scanned again.
Figures: open deals with any warning and warnings in all, before and after; which
warnings appeared, changed (severity or wording) or went away when evidence came in,
by rule; posts per manager over a week of daily scans (one post per deal,
within the daily and weekly budgets); and how "not useful" feedback moves a rule's
posting threshold, then mutes it, on the scan's own candidates. Measured, not
asserted; a fresh SQLite file each run.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import select

from benchmarks.backends import sqlite_database
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from bot.bootstrap import build_app
from bot.infra.services import Services
from bot.managers.desk import ManagerDesk
from bot.settings import load_settings
from coaching.clock import FixedClock
from coaching.playbook import load_playbook
from coaching.risk import load_risk_config
from coaching.risk.tuning import posted, tune
from storage.db import Database
from storage.importers.activity_import import ActivityImportOptions, import_activities
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.team_import import import_team
from storage.models import RiskWarning
from testkit.activity_log import write_activity_log
from testkit.crm_sample import crm_sample_dir

SECTION = "evidence & warnings"
NOW = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)
DAYS = 7
Snapshot = dict[tuple[int, str], tuple[int, str]]


def run(context: Context) -> list[Row]:
    del context  # one size: the crm-sample is the figure asked for
    with (
        tempfile.TemporaryDirectory(prefix="dealcoach-evidence-") as folder,
        sqlite_database() as database,
    ):
        return _measure(database, Path(folder))


def _measure(database: Database, folder: Path) -> list[Row]:
    sample = crm_sample_dir()
    clock = FixedClock(NOW)
    settings = load_settings(
        database_url=database.url,
        slack_bot_token=None,
        microsoft_app_id=None,
        openai_api_key=None,
        openai_base_url=None,
    )
    services = Services(settings, database, load_playbook(), clock)
    import_team(database, sample / "sales_teams.csv", encoding=None, default_timezone="UTC")
    import_deals(
        database,
        sample / "sales_pipeline.csv",
        DealImportOptions(shift_dates_to_today=True),
        now=NOW,
    )
    desk = build_app(services).part(ManagerDesk)
    first = desk.scan.run(NOW)
    before = _snapshot(database)
    log = write_activity_log(folder / "activities.csv", sample=sample, today=NOW.date())
    imported = import_activities(
        database, folder / "activities.csv", ActivityImportOptions(), now=NOW
    )
    second = desk.scan.run(NOW)
    after = _snapshot(database)
    return [
        *_totals(before, after, first.deals),
        Row(
            SECTION,
            "activity log",
            f"{log.rows:,} rows on {log.deals:,} deals",
            note=f"{imported.saved.inserted:,} saved; signals: {_top(imported.signals)}",
        ),
        *_changes(before, after),
        *_feedback(database),
        *_posts_per_week(desk, database, clock, first.posted + second.posted),
    ]


def _snapshot(database: Database) -> Snapshot:
    with database.transaction() as session:
        found = session.execute(
            select(
                RiskWarning.deal_id, RiskWarning.rule_id, RiskWarning.severity, RiskWarning.reason
            ).where(RiskWarning.resolved_at.is_(None))
        )
        return {(deal, rule): (severity, reason) for deal, rule, severity, reason in found}


def _totals(before: Snapshot, after: Snapshot, open_deals: int) -> list[Row]:
    deals_before = len({deal for deal, _ in before})
    deals_after = len({deal for deal, _ in after})
    return [
        Row(
            SECTION,
            "open deals with any warning",
            f"{deals_after:,} of {open_deals:,}",
            f"{deals_before:,} without evidence",
            ratio(deals_after, deals_before),
            "with the activity log vs the CRM alone",
        ),
        Row(
            SECTION,
            "open warnings",
            f"{len(after):,}",
            f"{len(before):,} without evidence",
            ratio(len(after), len(before)),
            "issue 14 counted 6,890 on 4,346 deals before these rules",
        ),
    ]


def _changes(before: Snapshot, after: Snapshot) -> list[Row]:
    appeared = Counter(rule for key in after.keys() - before.keys() for rule in [key[1]])
    gone = Counter(rule for key in before.keys() - after.keys() for rule in [key[1]])
    changed = Counter(key[1] for key in before.keys() & after.keys() if before[key] != after[key])
    return [
        Row(
            SECTION,
            "warnings appeared with evidence",
            f"{sum(appeared.values()):,}",
            note=_top(appeared),
        ),
        Row(
            SECTION,
            "warnings changed by evidence",
            f"{sum(changed.values()):,}",
            note=_top(changed),
        ),
        Row(SECTION, "warnings gone with evidence", f"{sum(gone.values()):,}", note=_top(gone)),
    ]


def _posts_per_week(
    desk: ManagerDesk, database: Database, clock: FixedClock, first_day: int
) -> list[Row]:
    """Daily scans for two weeks (no new data: only time passes), posts per manager."""
    per_manager: dict[int, int] = defaultdict(int)
    for day in range(1, DAYS):
        clock.set(NOW + dt.timedelta(days=day))
        desk.scan.run(clock.now())
    with database.transaction() as session:
        refs = session.execute(
            select(RiskWarning.manager_id, RiskWarning.message_ref)
            .where(RiskWarning.message_ref.is_not(None))
            .distinct()
        )
        for manager, _ in refs:
            if manager is not None:
                per_manager[manager] += 1
    weeks = DAYS / 7
    rates = sorted(count / weeks for count in per_manager.values())
    budget = f"budget {desk.scan.policy.budget}/day, {desk.scan.policy.week_budget}/week"
    return [
        Row(
            SECTION,
            "posts per manager per week",
            f"{sum(rates) / len(rates):.1f} (max {rates[-1]:.1f})" if rates else "0",
            note=f"{len(rates)} managers, {DAYS} days of daily scans, {budget}; "
            f"{first_day} posts on day one",
        ),
    ]


def _feedback(database: Database) -> list[Row]:
    """The scan's candidates per manager (deals with warnings) that would still be posted
    when a manager has given n net "not useful" verdicts on the commonest rule."""
    settings = load_risk_config().feedback
    with database.transaction() as session:
        found = session.execute(
            select(
                RiskWarning.manager_id,
                RiskWarning.deal_id,
                RiskWarning.rule_id,
                RiskWarning.severity,
            ).where(RiskWarning.resolved_at.is_(None))
        ).all()
    rule = Counter(row.rule_id for row in found).most_common(1)[0][0]
    deals = {(row.manager_id, row.deal_id) for row in found}
    rows = []
    for net in (0, 3, 6, 9):
        tuning = tune([(rule, "not_useful")] * net, settings)
        kept = {
            (row.manager_id, row.deal_id)
            for row in found
            if posted(row.rule_id, row.severity, tuning)
        }
        state = tuning.get(rule)
        threshold = (
            "muted"
            if state and state.muted
            else f"severity >= {state.min_severity if state else 1}"
        )
        rows.append(
            Row(
                SECTION,
                f"feedback: {net} net 'not useful' on {rule}",
                f"{len(kept):,} of {len(deals):,} deals postable",
                note=f"{rule} posted at {threshold}",
            )
        )
    return rows


def _top(counts: Counter[str], most: int = 5) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counts.most_common(most)) or "none"
