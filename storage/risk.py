"""The risk scan's SQL: a fixed number of set-based reads, bulk writes for warnings.

Reads cover every open deal at once (deals, answer history, close-date changes) and
every won deal (the teams' history); none is issued per deal. A deal's team is its
owner's manager, or the owner when they have none.
"""

from __future__ import annotations

import datetime as dt
import fcntl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, bindparam, func, make_url, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coaching.model import AnswerFact, DealFacts
from coaching.risk import DateChange, StageChange, WonDeal
from storage.db import Database
from storage.models import (
    Answer,
    Base,
    Deal,
    DealEvent,
    Person,
    RiskWarning,
    WarningFeedback,
)
from storage.queries import CURRENT_ANSWER

SCAN_LOCK_ID = 7_041_506
WARNINGS = Base.metadata.tables["warnings"]
ID_CHUNK = 10_000
_OPEN_WARNING = text("resolved_at IS NULL")


@dataclass(frozen=True, slots=True)
class OpenDeal:
    """An open deal with who owns it, their time zone and their manager."""

    facts: DealFacts
    owner: str
    timezone: str
    manager_id: int | None
    placed: bool = True
    """False: its owner is a rep in no team yet (no manager), as an import creates them."""

    @property
    def team(self) -> int | None:
        return self.manager_id if self.manager_id is not None else self.facts.owner_id


@dataclass(frozen=True, slots=True)
class ScanInputs:
    deals: list[OpenDeal]
    answers: dict[int, list[AnswerFact]]
    close_date_changes: dict[int, list[DateChange]]
    won: list[WonDeal]
    stage_changes: dict[int, list[StageChange]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredWarning:
    id: int
    deal_id: int
    deal_name: str
    rule: str
    severity: int
    reason: str
    action: str
    details: dict[str, Any] | None
    manager_id: int | None
    message_ref: str | None


@contextmanager
def scan_lock(database: Database) -> Iterator[bool]:
    """Try to become the one process scanning: True while held, False when another
    process (or session) holds it; never waits. PostgreSQL: a session advisory
    try-lock on its own connection, per schema (two deployments, or two test runs, in
    one database do not exclude each other). SQLite: an exclusive non-blocking `flock` on a file
    beside the database (SQLite's processes share one host); in memory, always True."""
    if database.dialect == "postgresql":
        with database.engine.connect() as connection:
            held = connection.scalar(
                text("SELECT pg_try_advisory_lock(:lock, hashtext(current_schema()))"),
                {"lock": SCAN_LOCK_ID},
            )
            try:
                yield bool(held)
            finally:
                if held:
                    connection.scalar(
                        text("SELECT pg_advisory_unlock(:lock, hashtext(current_schema()))"),
                        {"lock": SCAN_LOCK_ID},
                    )
                connection.commit()
        return
    path = make_url(database.url).database
    if not path or path == ":memory:":
        yield True
        return
    with Path(f"{path}.scan-lock").open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def scan_inputs(session: Session) -> ScanInputs:
    """Everything the rules read, in six statements whatever the number of deals."""
    return ScanInputs(
        deals=open_deals(session),
        answers=_answer_history(session),
        close_date_changes=_close_date_changes(session),
        won=won_deals(session),
        stage_changes=_stage_changes(session),
    )


def open_deals(session: Session, manager_id: int | None = None) -> list[OpenDeal]:
    """Open deals with their owners (only those of one manager's reps, when given)."""
    query = (
        select(
            Deal.id,
            Deal.crm_id,
            Deal.name,
            Deal.account,
            Deal.amount,
            Deal.currency,
            Deal.stage,
            Deal.stage_entered_on,
            Deal.close_date,
            Deal.owner_id,
            Deal.created_on,
            Deal.last_activity_on,
            Deal.status,
            Deal.paused_until,
            Deal.pause_reason,
            Deal.stage_entered_known,
            Deal.stage_group,
            Person.name,
            Person.timezone,
            Person.manager_id,
            Person.role,
        )
        .outerjoin(Person, Person.id == Deal.owner_id)
        .where(Deal.status == "open")
        .order_by(Deal.id)
    )
    if manager_id is not None:
        query = query.where(Person.manager_id == manager_id)
    return [
        OpenDeal(
            facts=DealFacts(*cast(Any, row[:17])),
            owner=row[17] or "no owner",
            timezone=row[18] or "UTC",
            manager_id=row[19],
            placed=row[19] is not None or row[20] == "manager",
        )
        for row in session.execute(query)
    ]


def _answer_history(session: Session) -> dict[int, list[AnswerFact]]:
    rows = session.execute(
        select(
            Answer.deal_id,
            Answer.field,
            Answer.value,
            Answer.answered_at,
            Answer.source,
            Answer.confidence,
        )
        .join(Deal, Deal.id == Answer.deal_id)
        .where(Deal.status == "open", CURRENT_ANSWER)
        .order_by(Answer.answered_at, Answer.id)
    )
    history: dict[int, list[AnswerFact]] = {}
    for row in rows:
        history.setdefault(row[0], []).append(AnswerFact(*row))
    return history


def _close_date_changes(session: Session) -> dict[int, list[DateChange]]:
    rows = session.execute(
        select(DealEvent.deal_id, DealEvent.old_value, DealEvent.new_value, DealEvent.occurred_at)
        .join(Deal, Deal.id == DealEvent.deal_id)
        .where(Deal.status == "open", DealEvent.kind == "close_date")
        .order_by(DealEvent.occurred_at, DealEvent.id)
    )
    changes: dict[int, list[DateChange]] = {}
    for deal_id, old, new, at in rows:
        changes.setdefault(deal_id, []).append(DateChange(_date(old), _date(new), at))
    return changes


def _stage_changes(session: Session) -> dict[int, list[StageChange]]:
    rows = session.execute(
        select(DealEvent.deal_id, DealEvent.old_value, DealEvent.new_value, DealEvent.occurred_at)
        .join(Deal, Deal.id == DealEvent.deal_id)
        .where(Deal.status == "open", DealEvent.kind == "stage")
        .order_by(DealEvent.occurred_at, DealEvent.id)
    )
    changes: dict[int, list[StageChange]] = {}
    for deal_id, old, new, at in rows:
        changes.setdefault(deal_id, []).append(StageChange(old, new, at.date()))
    return changes


def won_deals(session: Session) -> list[WonDeal]:
    """Every won deal with its team and recorded stage changes (two statements)."""
    team = func.coalesce(Person.manager_id, Deal.owner_id)
    deals = session.execute(
        select(Deal.id, team, Deal.created_on, func.coalesce(Deal.closed_on, Deal.close_date))
        .join(Person, Person.id == Deal.owner_id)
        .where(Deal.status == "won")
    ).all()
    changes: dict[int, list[StageChange]] = {}
    for deal_id, old, new, at in session.execute(
        select(DealEvent.deal_id, DealEvent.old_value, DealEvent.new_value, DealEvent.occurred_at)
        .join(Deal, Deal.id == DealEvent.deal_id)
        .where(Deal.status == "won", DealEvent.kind == "stage")
    ):
        changes.setdefault(deal_id, []).append(StageChange(old, new, at.date()))
    return [
        WonDeal(team_id, created, closed, tuple(changes.get(deal_id, ())))
        for deal_id, team_id, created, closed in deals
    ]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def open_warnings(session: Session) -> dict[tuple[int, str], StoredWarning]:
    """Every open warning by (deal id, rule id)."""
    return {(row[1], row[3]): StoredWarning(*row) for row in session.execute(_warning_query())}


def open_warning_ids(session: Session) -> dict[tuple[int, str], int]:
    """The id of every open warning by (deal id, rule id): what a raise needs to know."""
    rows = session.execute(
        select(RiskWarning.deal_id, RiskWarning.rule_id, RiskWarning.id).where(
            RiskWarning.resolved_at.is_(None)
        )
    )
    return {(deal_id, rule): warning_id for deal_id, rule, warning_id in rows}


def _warning_query() -> Select[Any]:
    return (
        select(
            RiskWarning.id,
            RiskWarning.deal_id,
            Deal.name,
            RiskWarning.rule_id,
            RiskWarning.severity,
            RiskWarning.reason,
            RiskWarning.action,
            RiskWarning.details,
            RiskWarning.manager_id,
            RiskWarning.message_ref,
        )
        .join(Deal, Deal.id == RiskWarning.deal_id)
        .where(RiskWarning.resolved_at.is_(None))
    )


def insert_warnings(session: Session, rows: list[dict[str, Any]]) -> None:
    """Open warnings (one statement); a (deal, rule) already open is left alone."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(WARNINGS).on_conflict_do_nothing(
        index_elements=["deal_id", "rule_id"], index_where=_OPEN_WARNING
    )
    session.execute(statement, rows)


def escalate(session: Session, ids_by_severity: dict[int, list[int]], now: dt.datetime) -> set[int]:
    """Raise severities (a statement per level and 10,000 ids); returns the ids raised."""
    raised: set[int] = set()
    for severity, ids in ids_by_severity.items():
        for chunk in _chunks(ids):
            raised.update(
                session.scalars(
                    update(RiskWarning)
                    .where(
                        RiskWarning.id.in_(chunk),
                        RiskWarning.severity < severity,
                        RiskWarning.resolved_at.is_(None),
                    )
                    .values(severity=severity, escalated_at=now)
                    .returning(RiskWarning.id)
                    .execution_options(synchronize_session=False)
                )
            )
    return raised


def update_texts(session: Session, rows: list[dict[str, Any]]) -> None:
    """Refresh reason, action, details and manager of open warnings (one executemany)."""
    if not rows:
        return
    table = WARNINGS
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            reason=bindparam("b_reason"),
            action=bindparam("b_action"),
            details=bindparam("b_details"),
            manager_id=bindparam("b_manager_id"),
        )
        .execution_options(synchronize_session=False),
        [{f"b_{key}": value for key, value in row.items()} for row in rows],
    )


def resolve(session: Session, ids: list[int], now: dt.datetime) -> set[int]:
    """Mark open warnings resolved (a statement per 10,000); returns the ids resolved."""
    resolved: set[int] = set()
    for chunk in _chunks(ids):
        resolved.update(
            session.scalars(
                update(RiskWarning)
                .where(RiskWarning.id.in_(chunk), RiskWarning.resolved_at.is_(None))
                .values(resolved_at=now)
                .returning(RiskWarning.id)
                .execution_options(synchronize_session=False)
            )
        )
    return resolved


def _chunks(ids: list[int]) -> list[list[int]]:
    """Id lists short enough for any backend's limit on bound parameters."""
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def mark_notified(session: Session, refs: dict[int, str], now: dt.datetime) -> None:
    """Record the post of each warning: when, and the outbox key of its message."""
    if not refs:
        return
    table = WARNINGS
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(notified_at=now, message_ref=bindparam("b_ref"))
        .execution_options(synchronize_session=False),
        [{"b_id": warning_id, "b_ref": ref} for warning_id, ref in refs.items()],
    )


def posts_since(
    session: Session, manager_ids: list[int], since: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """(manager id, first notified at) of each post made since `since`, for the alert
    budgets: a post covers all the warnings of its deal, so it counts once."""
    if not manager_ids:
        return []
    rows = session.execute(
        select(RiskWarning.manager_id, func.min(RiskWarning.notified_at))
        .where(
            RiskWarning.manager_id.in_(manager_ids),
            RiskWarning.notified_at >= since,
            RiskWarning.message_ref.is_not(None),
        )
        .group_by(RiskWarning.manager_id, RiskWarning.message_ref)
    )
    return [(manager, at) for manager, at in rows if manager is not None and at is not None]


def rule_verdicts(
    session: Session, manager_ids: list[int], since: dt.datetime
) -> dict[int, list[tuple[str, str]]]:
    """Each manager's (rule, verdict) on warnings raised for them: their latest verdict
    per warning, given since `since` (what tunes their rules)."""
    if not manager_ids:
        return {}
    ranked = (
        select(
            RiskWarning.manager_id,
            RiskWarning.rule_id,
            WarningFeedback.verdict,
            func.row_number()
            .over(
                partition_by=WarningFeedback.warning_id,
                order_by=(WarningFeedback.given_at.desc(), WarningFeedback.id.desc()),
            )
            .label("rank"),
        )
        .join(RiskWarning, RiskWarning.id == WarningFeedback.warning_id)
        .where(
            RiskWarning.manager_id.in_(manager_ids),
            WarningFeedback.person_id == RiskWarning.manager_id,
            WarningFeedback.given_at >= since,
        )
        .subquery()
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for manager, rule, verdict in session.execute(
        select(ranked.c.manager_id, ranked.c.rule_id, ranked.c.verdict).where(ranked.c.rank == 1)
    ):
        found.setdefault(manager, []).append((rule, verdict))
    return found


def warnings_with_deals(
    session: Session, manager_id: int | None = None
) -> list[tuple[StoredWarning, OpenDeal]]:
    """Open warnings on open deals (of one manager's team), most severe first: two statements."""
    deals = {deal.facts.id: deal for deal in open_deals(session, manager_id=manager_id)}
    query = _warning_query().order_by(RiskWarning.severity.desc(), RiskWarning.id)
    if manager_id is not None:
        query = query.join(Person, Person.id == Deal.owner_id).where(
            Person.manager_id == manager_id
        )
    found = [StoredWarning(*row) for row in session.execute(query)]
    return [(warning, deals[warning.deal_id]) for warning in found if warning.deal_id in deals]


@dataclass(frozen=True, slots=True)
class WarningTarget:
    """What feedback on a warning needs: its rule, its deal, and whose team it is about."""

    id: int
    rule: str
    deal: str
    manager_ids: frozenset[int]


def warning_target(session: Session, warning_id: int) -> WarningTarget | None:
    row = session.execute(
        select(RiskWarning.rule_id, Deal.name, RiskWarning.manager_id, Person.manager_id)
        .join(Deal, Deal.id == RiskWarning.deal_id)
        .outerjoin(Person, Person.id == Deal.owner_id)
        .where(RiskWarning.id == warning_id)
    ).first()
    if row is None:
        return None
    rule, deal, raised_for, current = row
    managers = frozenset(manager for manager in (raised_for, current) if manager is not None)
    return WarningTarget(warning_id, rule, deal, managers)


def record_feedback(
    session: Session, warning_id: int, person_id: int, verdict: str, now: dt.datetime
) -> None:
    """Append a verdict (the latest per person counts in the digest)."""
    session.add(
        WarningFeedback(warning_id=warning_id, person_id=person_id, verdict=verdict, given_at=now)
    )


def handled_by(session: Session, person_id: int) -> set[int]:
    """Ids of warnings whose latest verdict from this person is "handled"."""
    latest: dict[int, str] = {}
    rows = session.execute(
        select(WarningFeedback.warning_id, WarningFeedback.verdict)
        .where(WarningFeedback.person_id == person_id)
        .order_by(WarningFeedback.given_at, WarningFeedback.id)
    )
    for warning_id, verdict in rows:
        latest[warning_id] = verdict
    return {warning_id for warning_id, verdict in latest.items() if verdict == "handled"}


def has_team(session: Session, person_id: int) -> bool:
    """True when at least one active person reports to this one."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Person)
            .where(Person.manager_id == person_id, Person.active.is_(True))
        )
        or 0
    ) > 0


def names(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(person_ids))
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())
