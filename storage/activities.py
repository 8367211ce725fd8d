"""CRM activities and text signals per deal: saved idempotently, read in bulk.

An activity is keyed by (source, source_ref): saving it again updates the row (a
re-import never doubles an activity). Signals belong to the text they were read from
(source, source_ref): saving signals for a text replaces what was read from it before.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import RowMapping, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coaching.evidence.model import Activity, Signal
from storage.models import Base, Deal, DealActivity, DealSignal, Stakeholder

CHUNK = 500
ACTIVITIES = Base.metadata.tables["activities"]
SIGNALS = Base.metadata.tables["signals"]
_TEXT_COLUMNS = (DealActivity.subject, DealActivity.body)
_LOG_COLUMNS = [
    DealActivity.deal_id,
    DealActivity.kind,
    DealActivity.status,
    DealActivity.occurred_at,
    DealActivity.contact_name,
    DealActivity.contact_email,
    DealActivity.direction,
    DealActivity.source,
    DealActivity.source_ref,
]
T = TypeVar("T")
_ACTIVITY_FIELDS = (
    "deal_id",
    "kind",
    "status",
    "occurred_at",
    "subject",
    "body",
    "contact_name",
    "contact_email",
    "direction",
)


@dataclass
class SaveCounts:
    """What saving a batch of activities did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def save_activities(session: Session, activities: Sequence[Activity]) -> SaveCounts:
    """Insert new activities and update changed ones, by (source, source_ref).

    One query reads the batch's existing rows; unchanged rows are not written. Within a
    batch the last activity with a key wins.
    """
    counts = SaveCounts()
    for chunk in _chunks(list({(a.source, a.source_ref): a for a in activities}.values())):
        existing = _existing(session, [(a.source, a.source_ref) for a in chunk])
        rows = []
        for activity in chunk:
            row = _row(activity)
            old = existing.get((activity.source, activity.source_ref))
            if old is None:
                counts.inserted += 1
            elif all(old[name] == row[name] for name in _ACTIVITY_FIELDS):
                counts.unchanged += 1
                continue
            else:
                counts.updated += 1
            rows.append(row)
        _upsert(session, rows)
    return counts


def activities_for_deals(
    session: Session, deal_ids: Collection[int], *, with_text: bool = True
) -> dict[int, list[Activity]]:
    """Each deal's activities, oldest first (deals with none are absent).

    Without text, subject and body come back as None (the risk scan reads the signals
    taken from them; a large log stays small in memory).
    """
    columns = [*_LOG_COLUMNS, *(_TEXT_COLUMNS if with_text else ())]
    found: dict[int, list[Activity]] = {}
    for chunk in _chunks(sorted(set(deal_ids))):
        query = (
            select(*columns)
            .where(DealActivity.deal_id.in_(chunk))
            .order_by(DealActivity.deal_id, DealActivity.occurred_at, DealActivity.id)
        )
        for row in session.execute(query):
            found.setdefault(row.deal_id, []).append(_activity(row._mapping))
    return found


def save_signals(
    session: Session, signals: Iterable[Signal], *, read_from: Iterable[tuple[str, str]] = ()
) -> int:
    """Store signals, replacing those read before from the same texts.

    `read_from` names further texts (source, source_ref) that were read again and now
    yield nothing: their old signals go. Returns how many signals were stored.
    """
    signals = list(signals)
    texts = {(s.source, s.source_ref) for s in signals} | set(read_from)
    for source, refs in _by_source(texts).items():
        for chunk in _chunks(refs):
            session.execute(
                delete(DealSignal).where(
                    DealSignal.source == source, DealSignal.source_ref.in_(chunk)
                )
            )
    if signals:
        session.execute(
            insert(SIGNALS),
            [
                {
                    "deal_id": s.deal_id,
                    "kind": s.kind,
                    "quote": s.quote,
                    "occurred_on": s.occurred_on,
                    "source": s.source,
                    "source_ref": s.source_ref,
                    "confidence": s.confidence,
                }
                for s in signals
            ],
        )
    return len(signals)


def signals_for_deals(session: Session, deal_ids: Collection[int]) -> dict[int, list[Signal]]:
    """Each deal's signals, oldest first (deals with none are absent)."""
    found: dict[int, list[Signal]] = {}
    for chunk in _chunks(sorted(set(deal_ids))):
        query = (
            select(DealSignal)
            .where(DealSignal.deal_id.in_(chunk))
            .order_by(DealSignal.deal_id, DealSignal.occurred_on, DealSignal.id)
        )
        for row in session.scalars(query):
            found.setdefault(row.deal_id, []).append(_signal(row))
    return found


MET = 2
"""Exposure on the playbook's scale once a meeting was held with the person: 1 is "never
met", which a held meeting disproves; how close they are is the rep's to say."""


def raise_exposure(session: Session, activities: Sequence[Activity]) -> int:
    """A meeting held with a named stakeholder of the deal (by email, else by name) lifts
    that stakeholder's exposure from "never met" to MET (an unknown exposure stays
    unknown). Returns how many were lifted."""
    held = [a for a in activities if a.kind == "meeting" and a.direction == "buyer"
            and a.status == "completed" and (a.contact_name or a.contact_email)]  # fmt: skip
    if not held:
        return 0
    lifted = 0
    for chunk in _chunks(sorted({a.deal_id for a in held})):
        people = session.scalars(
            select(Stakeholder).where(
                Stakeholder.deal_id.in_(chunk),
                Stakeholder.exposure < MET,
            )
        )
        for person in people:
            if any(_same_person(person, a) for a in held if a.deal_id == person.deal_id):
                person.exposure = MET
                lifted += 1
    return lifted


def _same_person(person: Stakeholder, activity: Activity) -> bool:
    if person.email and activity.contact_email:
        return person.email.casefold() == activity.contact_email.casefold()
    name = " ".join((activity.contact_name or "").split()).casefold()
    return bool(name) and name == " ".join(person.name.split()).casefold()


@dataclass(frozen=True)
class DealsEvidence:
    """The activity log (without text) and the signals of open deals, by deal id."""

    activities: dict[int, list[Activity]]
    signals: dict[int, list[Signal]]


def open_deals_evidence(session: Session) -> DealsEvidence:
    """What the risk rules read besides answers, for every open deal, in two statements
    whatever the number of deals: activities without their text, and the signals."""
    open_ids = select(Deal.id).where(Deal.status == "open")
    activities: dict[int, list[Activity]] = {}
    query = (
        select(*_LOG_COLUMNS)
        .where(DealActivity.deal_id.in_(open_ids))
        .order_by(DealActivity.deal_id, DealActivity.occurred_at, DealActivity.id)
    )
    for row in session.execute(query):
        activities.setdefault(row.deal_id, []).append(_activity(row._mapping))
    signals: dict[int, list[Signal]] = {}
    found = session.scalars(
        select(DealSignal)
        .where(DealSignal.deal_id.in_(open_ids))
        .order_by(DealSignal.deal_id, DealSignal.occurred_on, DealSignal.id)
    )
    for signal_row in found:
        signals.setdefault(signal_row.deal_id, []).append(_signal(signal_row))
    return DealsEvidence(activities, signals)


def _existing(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """The stored rows of these keys, one query per source (each uses the unique index;
    a row-value IN list does not on PostgreSQL)."""
    columns = [getattr(DealActivity, name) for name in _ACTIVITY_FIELDS]
    found: dict[tuple[str, str], Any] = {}
    for source, refs in _by_source(keys).items():
        query = select(DealActivity.source, DealActivity.source_ref, *columns).where(
            DealActivity.source == source, DealActivity.source_ref.in_(refs)
        )
        found |= {(row.source, row.source_ref): row._mapping for row in session.execute(query)}
    return found


def _by_source(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for source, ref in sorted(keys):
        grouped.setdefault(source, []).append(ref)
    return grouped


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = upsert(ACTIVITIES)
    statement = statement.on_conflict_do_update(
        index_elements=["source", "source_ref"],
        set_={name: statement.excluded[name] for name in (*_ACTIVITY_FIELDS, "imported_at")},
    )
    session.execute(statement, rows)


def _row(activity: Activity) -> dict[str, Any]:
    return {name: getattr(activity, name) for name in (*_ACTIVITY_FIELDS, "source", "source_ref")}


def _activity(values: RowMapping) -> Activity:
    return Activity(
        deal_id=values["deal_id"],
        kind=values["kind"],
        status=values["status"],
        occurred_at=values["occurred_at"],
        subject=values.get("subject"),
        body=values.get("body"),
        contact_name=values["contact_name"],
        contact_email=values["contact_email"],
        direction=values["direction"],
        source=values["source"],
        source_ref=values["source_ref"],
    )


def _signal(row: DealSignal) -> Signal:
    return Signal(
        deal_id=row.deal_id,
        kind=row.kind,
        quote=row.quote,
        occurred_on=row.occurred_on,
        source=row.source,
        source_ref=row.source_ref,
        confidence=row.confidence,
    )


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
