"""Write checked deal records chunk by chunk: insert new deals, update changed ones.

Per chunk, one query loads the chunk's existing deals; new owners, new deals, updates
and DealEvents are written with executemany, never a query per row, and nothing is
kept between chunks but counts. Only the columns the file gives are compared and
written, so a file without an amount column leaves amounts alone. Changes of stage,
close date, status, amount and owner become DealEvent rows (source "import"; owner
values are person ids), unless the import writes no history (shifted dates).

The date a deal entered its stage is known when the file gives it. Otherwise it is the
day the import first saw the deal in that stage, marked as not known: the deal has been
in its stage at least since then, and maybe much longer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Update, bindparam, insert, literal, select, update
from sqlalchemy.orm import Session

from storage.importers.deal_rows import DealRecord
from storage.importers.import_staging import ImportStaging
from storage.importers.people import OwnerResolver
from storage.models import Base

DEALS = Base.metadata.tables["deals"]
EVENTS = Base.metadata.tables["deal_events"]
SOURCE = "import"
MISSING = "missing"
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
    "stage_entered_known",
    "stage_group",
    "last_activity_on",
    "loss_reason",
    "closed_on",
    "description",
    "shared_summary",
    "owner_id",
    "pipeline",
    "forecast_category",
    "probability",
    "next_step",
    "next_step_on",
    "deal_type",
    "lead_source",
)


@dataclass
class UpsertResult:
    """Counts of what the writer did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    closed_missing: int = 0
    unplaced_rows: Counter[str] = field(default_factory=Counter)


class DealWriter:
    """Writes records into the caller's transaction, one chunk at a time."""

    def __init__(
        self, session: Session, *, now: dt.datetime, default_timezone: str, history: bool
    ) -> None:
        self._session = session
        self._now = now
        self._history = history
        self.owners = OwnerResolver(session, default_timezone)
        self.result = UpsertResult()

    def write(self, records: Sequence[DealRecord]) -> None:
        """Insert or update every record of one chunk by its crm_id."""
        if not records:
            return
        owner_ids = self.owners.resolve(records, self.result.unplaced_rows)
        existing = self._existing([record.crm_id for record in records])
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for record in records:
            given = dict(record.values)
            if record.owner_given:
                given["owner_id"] = owner_ids[record.line]
            old = existing.get(record.crm_id)
            if old is None:
                inserts.append(self._new_deal(record.crm_id, given))
                continue
            new = _merged(old, given, self._now.date())
            changed = [column for column in _WRITABLE if new[column] != old[column]]
            if not changed:
                self.result.unchanged += 1
                continue
            updates.append(
                {f"b_{column}": new[column] for column in _WRITABLE} | {"b_id": old["id"]}
            )
            events.extend(
                self._event(old["id"], kind, old[column], new[column])
                for column, kind in TRACKED.items()
                if column in changed
            )
        if inserts:
            self._session.execute(insert(DEALS), inserts)
        if updates:
            self._session.execute(self._update_statement(), updates)
        if events and self._history:
            self._session.execute(insert(EVENTS), events)
            self.result.events += len(events)
        self.result.inserted += len(inserts)
        self.result.updated += len(updates)

    def close_missing(self, staging: ImportStaging) -> int:
        """Close, as missing from the CRM, every open deal no row of the import listed."""
        absent = (DEALS.c.status == "open") & staging.absent_open_deals()
        if self._history:
            self._session.execute(
                insert(EVENTS).from_select(
                    ["deal_id", "kind", "old_value", "new_value", "occurred_at", "source"],
                    select(
                        DEALS.c.id,
                        literal("status"),
                        literal("open"),
                        literal(MISSING),
                        literal(self._now, EVENTS.c.occurred_at.type),
                        literal(SOURCE),
                    ).where(absent),
                )
            )
        result = self._session.execute(
            update(DEALS)
            .where(absent)
            .values(status=MISSING, closed_on=self._now.date(), updated_at=self._now)
            .execution_options(synchronize_session=False)
        )
        closed = cast(CursorResult[Any], result).rowcount
        if self._history:
            self.result.events += closed
        self.result.closed_missing = closed
        return closed

    def _existing(self, crm_ids: list[str]) -> dict[str, dict[str, Any]]:
        columns = [DEALS.c.id, DEALS.c.crm_id, *(DEALS.c[name] for name in _WRITABLE)]
        rows = self._session.execute(select(*columns).where(DEALS.c.crm_id.in_(crm_ids)))
        return {row.crm_id: dict(row._mapping) for row in rows}

    def _new_deal(self, crm_id: str, given: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = dict.fromkeys(_WRITABLE)
        row.update(given, crm_id=crm_id, updated_at=self._now)
        row["currency"] = row["currency"] or "USD"
        row["stage_entered_known"] = row["stage_entered_on"] is not None
        row["stage_entered_on"] = row["stage_entered_on"] or self._now.date()
        row["closed_on"] = row["close_date"] if row["status"] != "open" else None
        return row

    def _event(self, deal_id: int, kind: str, old: Any, new: Any) -> dict[str, Any]:
        return {
            "deal_id": deal_id,
            "kind": kind,
            "old_value": _as_text(old),
            "new_value": _as_text(new),
            "occurred_at": self._now,
            "source": SOURCE,
            "person_id": None,
        }

    def _update_statement(self) -> Update:
        return (
            update(DEALS)
            .where(DEALS.c.id == bindparam("b_id"))
            .values(
                {column: bindparam(f"b_{column}") for column in _WRITABLE}
                | {"updated_at": self._now}
            )
        )


def _merged(old: Mapping[str, Any], given: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The deal as the file says it is now, keeping what the file does not mention."""
    new = dict(old)
    new.update({column: value for column, value in given.items() if column in new})
    if given.get("stage_entered_on"):
        new["stage_entered_known"] = True
    elif new["stage"] != old["stage"]:
        new["stage_entered_on"], new["stage_entered_known"] = today, False
    else:
        new["stage_entered_on"] = old["stage_entered_on"]
    new["closed_on"] = _closed_on(old, new, today)
    return new


def _closed_on(old: Mapping[str, Any], new: Mapping[str, Any], today: dt.date) -> dt.date | None:
    if new["status"] == "open":
        return None
    if new["status"] == MISSING:
        return old["closed_on"] or today
    return new["close_date"]


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
