"""The risk scan: raise, escalate and resolve warnings, and post them to managers.

Warnings are kept per deal and rule, but a manager sees one post per deal with all its
reasons: a deal crossing into a rule gets a post; a new reason on a deal already
posted updates that post in place; a deal whose top severity rises gets a new post;
a reason that clears updates the post, and the post says "resolved" when none is left.
A scan that finds nothing new posts nothing. Deals whose owner is in no team yet (a
rep an import created, without a manager) are left out, their open warnings
untouched, until `import team` places them: their warnings would reach nobody.

The few that matter: each manager's new posts are ranked (top severity, then amount)
and kept within an alert budget per local day and per week; their feedback raises a
rule's threshold or mutes it (coaching/risk/tuning.py). The rest are held for the
weekly digest, which counts them, never posted later.

Each deal's case carries its CRM activity log and the signals read from its texts
(storage.activities): the evidence rules read buyer silence, next meetings and quotes
from them.

The scan runs in one transaction, serialised across processes (PostgreSQL: an
advisory lock; SQLite: BEGIN IMMEDIATE), with a fixed number of statements however
many deals there are; the partial unique index (one open warning per deal and
rule) stays the last guard against a double raise.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TypeVar, cast

from sqlalchemy.orm import Session

from bot.engine.outgoing import Address, OutboxEntry, enqueue
from bot.infra import metrics
from bot.infra.collector import collector_paused
from bot.infra.local_time import local_date, local_midnight
from bot.infra.recipients import Recipients
from bot.managers.warning_messages import WarningView, deal_warning_message, resolved_message
from coaching.risk import AnswerHistory, DealCase, Finding, RiskEngine, learn_baselines
from coaching.risk.tuning import RuleTuning, posted, tune
from storage import activities, outbox, people
from storage import risk as store
from storage.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")


class _RolledBack(Exception):
    """Ends a preview's transaction (rolled back) and carries what it read."""

    def __init__(self, report: ScanReport, value: object) -> None:
        super().__init__("preview")
        self.report, self.value = report, value


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """How many new posts a manager gets per local day and per week (7 days)."""

    budget: int = 3
    week_budget: int = 5


@dataclass(frozen=True, slots=True)
class ScanReport:
    deals: int = 0
    open_warnings: int = 0
    raised: int = 0
    escalated: int = 0
    resolved: int = 0
    posted: int = 0
    held: int = 0
    skipped: int = 0  # 1: another process was scanning

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Crossing:
    """A warning just raised or escalated: a candidate for a post."""

    warning_id: int
    finding: Finding
    deal: store.OpenDeal
    escalated: bool


@dataclass
class _DealPost:
    """One deal's thread: its open warnings now, what crossed, and its live post if any."""

    deal: store.OpenDeal
    reasons: list[tuple[int, Finding]]
    crossed: list[_Crossing]
    live_ref: str | None

    @property
    def severity(self) -> int:
        return max(finding.severity for _, finding in self.reasons)

    @property
    def rank(self) -> tuple[int, float, str]:
        return (-self.severity, -float(self.deal.facts.amount or 0), self.deal.facts.name)


class RiskScan:
    """What the scheduler calls every hour, and `dealcoach warnings` before listing."""

    def __init__(
        self, database: Database, engine: RiskEngine, policy: AlertPolicy, recipients: Recipients
    ) -> None:
        self.database = database
        self.engine = engine
        self.policy = policy
        self.recipients = recipients

    def run(self, now: dt.datetime) -> ScanReport:
        """Scan unless another process is scanning (then skip: it does the work)."""
        started = time.perf_counter()
        with store.scan_lock(self.database) as held:
            if not held:
                log.info("risk scan skipped: another process is scanning")
                metrics.SCANS_SKIPPED.inc()
                return ScanReport(skipped=1)
            report = self._scan_now(now)
        metrics.SCAN_SECONDS.observe(time.perf_counter() - started)
        metrics.WARNINGS_RAISED.inc(report.raised)
        metrics.WARNINGS_POSTED.inc(report.posted)
        return report

    def _scan_now(self, now: dt.datetime) -> ScanReport:
        with collector_paused(), self.database.transaction() as session:
            report = self._scan(session, now, post=True)
        if report.raised or report.escalated or report.resolved:
            log.info("risk scan: %s", report.as_dict())
        return report

    def preview(self, now: dt.datetime, read: Callable[[Session], T]) -> tuple[ScanReport, T]:
        """The scan as it would run now, keeping and sending nothing: `read` sees the
        warnings it would leave open, then its transaction is rolled back (for a read
        command such as `dealcoach warnings`; warnings not raised yet may get other ids
        when the scheduler raises them)."""
        try:
            with collector_paused(), self.database.transaction() as session:
                report = self._scan(session, now, post=False)
                raise _RolledBack(report, read(session))
        except _RolledBack as preview:
            return preview.report, cast(T, preview.value)

    def _scan(self, session: Session, now: dt.datetime, *, post: bool) -> ScanReport:
        inputs = store.scan_inputs(session)
        deals = {deal.facts.id: deal for deal in inputs.deals if deal.placed}
        unplaced = {deal.facts.id for deal in inputs.deals if not deal.placed}
        evidence = activities.open_deals_evidence(session)
        findings = self._findings(inputs, list(deals.values()), now, evidence)
        stored = {
            key: warning
            for key, warning in store.open_warnings(session).items()
            if key[0] not in unplaced
        }
        crossings, gone, report = self._apply(session, findings, stored, deals, now)
        if not post:
            return _with(report, deals=len(deals))
        ids = store.open_warning_ids(session)
        threads = _threads(findings, stored, gone, crossings, deals, ids=ids)
        posted, held = self._post(session, threads, now)
        self._update_resolved_posts(session, gone, threads, now)
        return _with(report, deals=len(deals), posted=posted, held=held)

    def _findings(
        self,
        inputs: store.ScanInputs,
        deals: list[store.OpenDeal],
        now: dt.datetime,
        evidence: activities.DealsEvidence,
    ) -> dict[tuple[int, str], Finding]:
        baselines = learn_baselines(inputs.won)
        todays: dict[str, dt.date] = {}
        findings = {}
        for deal in deals:
            if deal.timezone not in todays:
                todays[deal.timezone] = local_date(now, deal.timezone)
            case = DealCase(
                deal=deal.facts,
                owner=deal.owner,
                team=deal.team,
                today=todays[deal.timezone],
                answers=AnswerHistory(inputs.answers.get(deal.facts.id, ())),
                close_date_changes=tuple(inputs.close_date_changes.get(deal.facts.id, ())),
                stage_changes=tuple(inputs.stage_changes.get(deal.facts.id, ())),
                activities=tuple(evidence.activities.get(deal.facts.id, ())),
                signals=tuple(evidence.signals.get(deal.facts.id, ())),
            )
            for finding in self.engine.assess(case, baselines):
                findings[(finding.deal_id, finding.rule)] = finding
        return findings

    def _apply(
        self,
        session: Session,
        findings: dict[tuple[int, str], Finding],
        stored: dict[tuple[int, str], store.StoredWarning],
        deals: dict[int, store.OpenDeal],
        now: dt.datetime,
    ) -> tuple[list[_Crossing], list[store.StoredWarning], ScanReport]:
        """Write the difference between what the rules find and what is open."""
        new = [finding for key, finding in findings.items() if key not in stored]
        store.insert_warnings(
            session, [_warning_row(finding, deals[finding.deal_id], now) for finding in new]
        )
        raising: dict[int, list[int]] = defaultdict(list)
        texts = []
        for key, finding in findings.items():
            warning = stored.get(key)
            if warning is None:
                continue
            if finding.severity > warning.severity:
                raising[finding.severity].append(warning.id)
            manager = deals[finding.deal_id].manager_id
            if (finding.reason, finding.action, finding.details, manager) != (
                warning.reason,
                warning.action,
                warning.details,
                warning.manager_id,
            ):
                texts.append(_text_row(warning.id, finding, manager))
        escalated = store.escalate(session, dict(raising), now)
        store.update_texts(session, texts)
        gone = [warning for key, warning in stored.items() if key not in findings]
        resolved = store.resolve(session, [warning.id for warning in gone], now)
        after = store.open_warning_ids(session) if new else {}
        crossings = [
            _Crossing(after[key], finding, deals[finding.deal_id], escalated=False)
            for finding in new
            if (key := (finding.deal_id, finding.rule)) in after
        ]
        crossings += [
            _Crossing(stored[key].id, finding, deals[finding.deal_id], escalated=True)
            for key, finding in findings.items()
            if key in stored and stored[key].id in escalated
        ]
        report = ScanReport(
            open_warnings=len(findings),
            raised=sum(1 for crossing in crossings if not crossing.escalated),
            escalated=len(escalated),
            resolved=len(resolved),
        )
        return crossings, [warning for warning in gone if warning.id in resolved], report

    def _post(
        self, session: Session, threads: list[_DealPost], now: dt.datetime
    ) -> tuple[int, int]:
        """Update live posts in place; post the top new or escalated deals of each manager
        within their budgets and feedback; (new posts, deals held for the digest)."""
        by_manager: dict[int, list[_DealPost]] = defaultdict(list)
        for thread in threads:
            if thread.deal.manager_id is not None:
                by_manager[thread.deal.manager_id].append(thread)
        if not by_manager:
            return 0, 0
        managers = sorted(by_manager)
        left = self._budget_left(session, managers, now)
        tuning = {
            manager: tune(verdicts, self.engine.config.feedback)
            for manager, verdicts in store.rule_verdicts(
                session, managers, now - dt.timedelta(days=self.engine.config.feedback.window_days)
            ).items()
        }
        places = self.recipients.managers(session, managers)
        entries, refs, posted, held = [], {}, 0, 0
        for manager in managers:
            fresh: list[_DealPost] = []
            for thread in by_manager[manager]:
                if not thread.crossed:
                    continue  # only lost a reason: its post is updated with the resolutions
                if thread.live_ref and thread.severity <= _posted_severity(thread.live_ref):
                    key = f"{thread.live_ref}:{'-'.join(str(i) for i, _ in thread.reasons)}"
                    message = deal_warning_message(_views(thread), self.engine.wording)
                    entries.append(
                        OutboxEntry(
                            key, places[manager], message, kind="update", replaces=thread.live_ref
                        )
                    )
                    refs.update({warning_id: thread.live_ref for warning_id, _ in thread.reasons})
                else:
                    fresh.append(thread)
            rules = tuning.get(manager, {})
            worth = [
                thread
                for thread in sorted(fresh, key=lambda thread: thread.rank)
                if any(_allowed(crossing, rules) for crossing in thread.crossed)
            ]
            chosen = worth[: left[manager]]
            held += len(fresh) - len(chosen)
            for thread in chosen:
                first = min(warning_id for warning_id, _ in thread.reasons)
                key = f"deal:{thread.deal.facts.id}:{first}:{thread.severity}"
                message = deal_warning_message(
                    _views(thread), self.engine.wording, escalated=thread.live_ref is not None
                )
                entries.append(OutboxEntry(key, places[manager], message))
                refs.update({warning_id: key for warning_id, _ in thread.reasons})
                posted += 1
        enqueue(session, entries, now)
        store.mark_notified(session, refs, now)
        return posted, held

    def _budget_left(
        self, session: Session, managers: list[int], now: dt.datetime
    ) -> dict[int, int]:
        """New posts each manager may still get: today (local) and this week (7 days)."""
        zones = people.timezones(session, managers)
        midnights = {manager: local_midnight(now, zones.get(manager)) for manager in managers}
        today: dict[int, int] = defaultdict(int)
        week: dict[int, int] = defaultdict(int)
        for manager, at in store.posts_since(session, managers, now - dt.timedelta(days=7)):
            week[manager] += 1
            if at >= midnights[manager]:
                today[manager] += 1
        return {
            manager: max(
                0,
                min(self.policy.budget - today[manager], self.policy.week_budget - week[manager]),
            )
            for manager in managers
        }

    def _update_resolved_posts(
        self,
        session: Session,
        resolved: list[store.StoredWarning],
        threads: list[_DealPost],
        now: dt.datetime,
    ) -> None:
        """Where a resolved warning was posted: the post lists the reasons left, or says
        "resolved" when none is."""
        posted = {warning.message_ref: warning for warning in resolved if warning.message_ref}
        if not posted:
            return
        live = {thread.live_ref: thread for thread in threads if thread.live_ref}
        gone_by_ref: dict[str, list[store.StoredWarning]] = defaultdict(list)
        for warning in resolved:
            if warning.message_ref:
                gone_by_ref[warning.message_ref].append(warning)
        entries = []
        for key, transport, recipient in outbox.destinations(session, list(posted)):
            warning = posted[key]
            thread = live.get(key)
            ids = "-".join(str(item.id) for item in gone_by_ref[key])
            if thread is not None and not thread.crossed:
                message = deal_warning_message(
                    _views(thread),
                    self.engine.wording,
                    resolved=[self.engine.wording.label(item.rule) for item in gone_by_ref[key]],
                )
                entry_key = f"{key}:resolved:{ids}"
            elif thread is None:
                message = resolved_message(
                    self.engine.wording.label(warning.rule), warning.deal_name, warning.reason
                )
                entry_key = f"warning:{warning.id}:resolved"
            else:
                continue  # the deal's post was just updated with its reasons now
            entries.append(
                OutboxEntry(
                    entry_key, Address(transport, recipient), message, kind="update", replaces=key
                )
            )
        enqueue(session, entries, now)


def _threads(
    findings: dict[tuple[int, str], Finding],
    stored: dict[tuple[int, str], store.StoredWarning],
    gone: list[store.StoredWarning],
    crossings: list[_Crossing],
    deals: dict[int, store.OpenDeal],
    *,
    ids: dict[tuple[int, str], int],
) -> list[_DealPost]:
    """A thread per deal that has a crossing, or lost a reason while other reasons stay."""
    crossed: dict[int, list[_Crossing]] = defaultdict(list)
    for crossing in crossings:
        crossed[crossing.deal.facts.id].append(crossing)
    touched = set(crossed) | {warning.deal_id for warning in gone}
    reasons: dict[int, list[tuple[int, Finding]]] = defaultdict(list)
    for key, finding in findings.items():
        if key[0] in touched and key in ids:
            reasons[key[0]].append((ids[key], finding))
    refs: dict[int, str] = {}
    for key, warning in sorted(stored.items(), key=lambda item: item[1].id):
        if key in findings and warning.message_ref and key[0] in touched:
            refs.setdefault(key[0], warning.message_ref)
    return [
        _DealPost(
            deals[deal_id],
            sorted(reasons[deal_id], key=lambda item: item[0]),
            crossed.get(deal_id, []),
            refs.get(deal_id),
        )
        for deal_id in sorted(touched)
        if reasons.get(deal_id) and deal_id in deals
    ]


def _posted_severity(ref: str) -> int:
    """The top severity a post showed, from its key ('deal:7:12:2', 'warning:12:2')."""
    tail = ref.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _allowed(crossing: _Crossing, rules: dict[str, RuleTuning]) -> bool:
    return posted(crossing.finding.rule, crossing.finding.severity, rules)


def _views(thread: _DealPost) -> list[WarningView]:
    ordered = sorted(thread.reasons, key=lambda item: (-item[1].severity, item[0]))
    return [
        WarningView(
            warning_id,
            finding.rule,
            finding.severity,
            finding.reason,
            finding.action,
            thread.deal,
            finding.evidence,
        )
        for warning_id, finding in ordered
    ]


def _warning_row(finding: Finding, deal: store.OpenDeal, now: dt.datetime) -> dict[str, object]:
    return {
        "deal_id": finding.deal_id,
        "rule_id": finding.rule,
        "severity": finding.severity,
        "reason": finding.reason,
        "action": finding.action,
        "details": finding.details,
        "manager_id": deal.manager_id,
        "raised_at": now,
        "escalated_at": None,
        "notified_at": None,
        "resolved_at": None,
        "message_ref": None,
    }


def _text_row(warning_id: int, finding: Finding, manager: int | None) -> dict[str, object]:
    return {
        "id": warning_id,
        "reason": finding.reason,
        "action": finding.action,
        "details": finding.details,
        "manager_id": manager,
    }


def _with(report: ScanReport, **values: int) -> ScanReport:
    return ScanReport(**(report.as_dict() | values))
