"""The risk scan: raise, escalate and resolve warnings, and post them to managers.

A warning is posted when a deal crosses into a rule, again only when its severity
rises, and marked resolved (its post updated) when the condition clears; a scan
that finds nothing new posts nothing. Deals whose owner is in no team yet (a rep an
import created, without a manager) are left out, their open warnings untouched,
until `import team` places them: their warnings would reach nobody. Each manager has
an alert budget per local day; warnings beyond it are held for the weekly digest,
never posted later.

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
from bot.managers.warning_messages import WarningView, resolved_message, warning_message
from coaching.risk import AnswerHistory, DealCase, Finding, RiskEngine, learn_baselines
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
    """How many interruptions a manager gets per local day."""

    budget: int = 3


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

    @property
    def rank(self) -> tuple[int, float, str]:
        amount = float(self.deal.facts.amount or 0)
        return (-self.finding.severity, -amount, self.deal.facts.name)


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
        crossings, report = self._apply(session, findings, stored, deals, now)
        if not post:
            return _with(report, deals=len(deals))
        posted = self._post(session, crossings, now)
        return _with(report, deals=len(deals), posted=posted, held=len(crossings) - posted)

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
    ) -> tuple[list[_Crossing], ScanReport]:
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
        self._update_resolved_posts(
            session, [warning for warning in gone if warning.id in resolved], now
        )
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
        return crossings, report

    def _post(self, session: Session, crossings: list[_Crossing], now: dt.datetime) -> int:
        """Post the most severe crossings of each manager, within today's budget."""
        by_manager: dict[int, list[_Crossing]] = defaultdict(list)
        for crossing in crossings:
            if crossing.deal.manager_id is not None:
                by_manager[crossing.deal.manager_id].append(crossing)
        if not by_manager:
            return 0
        managers = sorted(by_manager)
        left = self._budget_left(session, managers, now)
        places = self.recipients.managers(session, managers)
        entries, refs = [], {}
        for manager in managers:
            chosen = sorted(by_manager[manager], key=lambda crossing: crossing.rank)
            for crossing in chosen[: left[manager]]:
                key = f"warning:{crossing.warning_id}:{crossing.finding.severity}"
                message = warning_message(
                    _view(crossing), self.engine.wording, escalated=crossing.escalated
                )
                entries.append(OutboxEntry(key, places[manager], message))
                refs[crossing.warning_id] = key
        enqueue(session, entries, now)
        store.mark_notified(session, refs, now)
        return len(refs)

    def _budget_left(
        self, session: Session, managers: list[int], now: dt.datetime
    ) -> dict[int, int]:
        zones = people.timezones(session, managers)
        midnights = {manager: local_midnight(now, zones.get(manager)) for manager in managers}
        used: dict[int, int] = defaultdict(int)
        for manager, at in store.notified_since(session, managers, now - dt.timedelta(days=1)):
            if at >= midnights[manager]:
                used[manager] += 1
        return {manager: max(0, self.policy.budget - used[manager]) for manager in managers}

    def _update_resolved_posts(
        self, session: Session, resolved: list[store.StoredWarning], now: dt.datetime
    ) -> None:
        """Replace each resolved warning's post in place, where it was posted."""
        posted = {warning.message_ref: warning for warning in resolved if warning.message_ref}
        if not posted:
            return
        entries = []
        for key, transport, recipient in outbox.destinations(session, list(posted)):
            warning = posted[key]
            message = resolved_message(
                self.engine.wording.label(warning.rule), warning.deal_name, warning.reason
            )
            entries.append(
                OutboxEntry(
                    f"warning:{warning.id}:resolved",
                    Address(transport, recipient),
                    message,
                    kind="update",
                    replaces=key,
                )
            )
        enqueue(session, entries, now)


def _view(crossing: _Crossing) -> WarningView:
    finding = crossing.finding
    return WarningView(
        crossing.warning_id,
        finding.rule,
        finding.severity,
        finding.reason,
        finding.action,
        crossing.deal,
    )


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
