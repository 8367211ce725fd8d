"""Write checked deal records: insert new deals, update changed ones, log the changes.

One query loads the existing deals and one the people; new owners, new deals,
updates and DealEvents are then written with executemany, never a query per row.
Only the columns the file gives are compared and written, so a file without an
amount column leaves amounts alone. Changes of stage, close date, status, amount
and owner become DealEvent rows (source "import"; owner values are person ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Update, bindparam, insert, select, update
from sqlalchemy.orm import Session

from storage.importers.deal_rows import OwnerRef, ParsedDeals
from storage.importers.people import PeopleIndex
from storage.importers.reporting import Progress, no_progress
from storage.models import Base

DEALS = Base.metadata.tables["deals"]
PEOPLE = Base.metadata.tables["people"]
EVENTS = Base.metadata.tables["deal_events"]
SOURCE = "import"
CHUNK = 1000
TRACKED = {
    "stage": "stage",
    "close_date": "close_date",
    "status": "status",
    "amount": "amount",
    "owner_id": "owner",
}
_WRITABLE = (
    "name",
    "account",
    "product",
    "amount",
    "currency",
    "stage",
    "status",
    "close_date",
    "created_on",
    "stage_entered_on",
    "last_activity_on",
    "loss_reason",
    "closed_on",
    "description",
    "shared_summary",
    "owner_id",
)


@dataclass
class UpsertResult:
    """Counts of what the upsert did, and the names of the people it created."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    people_created: list[str] = field(default_factory=list)


@dataclass
class _NewPerson:
    name: str
    email: str | None
    id: int | None = None


def upsert_deals(
    session: Session,
    parsed: ParsedDeals,
    *,
    now: dt.datetime,
    default_timezone: str,
    progress: Progress = no_progress,
) -> UpsertResult:
    """Insert or update every record by crm_id, in the caller's transaction."""
    owner_ids, created = _owner_ids(session, parsed, default_timezone)
    result = UpsertResult(people_created=created)
    existing = _existing_deals(session)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for record in parsed.records:
        given = dict(record.values)
        if parsed.owner_given:
            given["owner_id"] = owner_ids[record.line]
        old = existing.get(record.crm_id)
        if old is None:
            inserts.append(_new_deal(record.crm_id, given, now))
            continue
        new = _merged(old, given, now.date())
        changed = [column for column in _WRITABLE if new[column] != old[column]]
        if not changed:
            result.unchanged += 1
            continue
        updates.append({f"b_{column}": new[column] for column in _WRITABLE} | {"b_id": old["id"]})
        events.extend(
            _event(old["id"], kind, old[column], new[column], now)
            for column, kind in TRACKED.items()
            if column in changed
        )
    total = len(inserts) + len(updates)
    done = 0
    for statement, rows in ((insert(DEALS), inserts), (_update_statement(now), updates)):
        for chunk in _chunks(rows):
            session.execute(statement, chunk)
            done += len(chunk)
            progress("writing", done, total)
    if events:
        session.execute(insert(EVENTS), events)
    result.inserted, result.updated, result.events = len(inserts), len(updates), len(events)
    return result


def _owner_ids(
    session: Session, parsed: ParsedDeals, default_timezone: str
) -> tuple[dict[int, int | None], list[str]]:
    """Owner id per record line, and the names of the unknown owners created as reps."""
    if not parsed.owner_given:
        return {}, []
    index: PeopleIndex[int | _NewPerson] = PeopleIndex()
    for person_id, name, email in session.execute(
        select(PEOPLE.c.id, PEOPLE.c.name, PEOPLE.c.email).order_by(PEOPLE.c.id)
    ):
        index.add(name, email, person_id)
    owners: dict[int, int | _NewPerson | None] = {}
    created: list[_NewPerson] = []
    for record in parsed.records:
        owners[record.line] = _find_or_plan(index, record.owner, created)
    if created:
        ids = session.scalars(
            insert(PEOPLE).returning(PEOPLE.c.id, sort_by_parameter_order=True),
            [
                {
                    "name": person.name,
                    "email": person.email,
                    "role": "rep",
                    "timezone": default_timezone,
                }
                for person in created
            ],
        ).all()
        for person, person_id in zip(created, ids, strict=True):
            person.id = person_id
    ids_by_line = {
        line: owner.id if isinstance(owner, _NewPerson) else owner for line, owner in owners.items()
    }
    return ids_by_line, [person.name for person in created]


def _find_or_plan(
    index: PeopleIndex[int | _NewPerson], owner: OwnerRef | None, created: list[_NewPerson]
) -> int | _NewPerson | None:
    if owner is None:
        return None
    found = index.find(owner.name, owner.email)
    if found is None:
        found = _NewPerson(owner.name or str(owner.email)[:200], owner.email)
        created.append(found)
        index.add(found.name, found.email, found)
    return found


def _existing_deals(session: Session) -> dict[str, dict[str, Any]]:
    columns = [DEALS.c.id, DEALS.c.crm_id, *(DEALS.c[name] for name in _WRITABLE)]
    return {row.crm_id: dict(row._mapping) for row in session.execute(select(*columns))}


def _new_deal(crm_id: str, given: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(_WRITABLE)
    row.update(given, crm_id=crm_id, updated_at=now)
    row["stage_entered_on"] = row["stage_entered_on"] or row["created_on"]
    row["closed_on"] = row["close_date"] if row["status"] != "open" else None
    return row


def _merged(old: Mapping[str, Any], given: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The deal as the file says it is now, keeping what the file does not mention."""
    new = dict(old)
    new.update(given)
    if not given.get("stage_entered_on"):
        new["stage_entered_on"] = today if new["stage"] != old["stage"] else old["stage_entered_on"]
    new["closed_on"] = new["close_date"] if new["status"] != "open" else None
    return new


def _event(deal_id: int, kind: str, old: Any, new: Any, now: dt.datetime) -> dict[str, Any]:
    return {
        "deal_id": deal_id,
        "kind": kind,
        "old_value": _as_text(old),
        "new_value": _as_text(new),
        "occurred_at": now,
        "source": SOURCE,
        "person_id": None,
    }


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _update_statement(now: dt.datetime) -> Update:
    return (
        update(DEALS)
        .where(DEALS.c.id == bindparam("b_id"))
        .values({column: bindparam(f"b_{column}") for column in _WRITABLE} | {"updated_at": now})
    )


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
