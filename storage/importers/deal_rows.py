"""Deal rows -> validated records or rejections. Pure: no database here.

Every mapped cell is checked; a row with any bad cell is rejected with all its
reasons, naming the file's own column. Empty cells mean "none" (an empty account is
not an error). A crm_id seen earlier in the file is rejected, pointing at the first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from storage.importers.column_mapping import ColumnMapping
from storage.importers.csv_file import CsvRow, CsvTable
from storage.importers.presets import REQUIRED_FIELDS, Preset
from storage.importers.reporting import Progress, RowIssue, no_progress
from storage.importers.values import fold, parse_amount, parse_currency, parse_date, parse_email

DATE_FIELDS = ("close_date", "created_on", "stage_entered_on", "last_activity_on")
TEXT_LIMITS = {
    "crm_id": 100,
    "name": 300,
    "account": 300,
    "product": 200,
    "stage": 100,
    "owner": 200,
    "owner_email": 320,
    "loss_reason": 200,
}
NO_DECISION = "no_decision"
_WON = {"won", "closedwon", "dealwon"}
_LOST = {"lost", "closedlost", "deallost"}
_OPEN = {"open", "inprogress", "active", "pipeline"}
_NO_DECISION_REASONS = {
    "statusquo",
    "wentwithstatusquo",
    "stayedwithstatusquo",
    "chosestatusquo",
    "donothing",
    "didnothing",
    "chosetodonothing",
    "decidedtodonothing",
    "nondecision",
}
_REPORT_EVERY = 1000


@dataclass(frozen=True, slots=True)
class OwnerRef:
    """The rep a row names: by name, by email, or both."""

    name: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class DealRecord:
    """One valid row: its line, crm id, owner, and the deal columns it sets."""

    line: int
    crm_id: str
    owner: OwnerRef | None
    values: Mapping[str, Any]


@dataclass(frozen=True)
class ParsedDeals:
    """The outcome of checking every row of a file."""

    records: list[DealRecord]
    rejections: list[RowIssue]
    warnings: list[RowIssue]
    owner_given: bool


def status_from_stage(stage: str) -> str:
    """won, lost or open, from a stage such as "Closed Won", "closedlost" or "Won".

    A trailing "(Pipeline name)" is ignored: "Closed Won (Sales Pipeline)" is won.
    """
    stage_key = fold(re.sub(r"\s*\([^)]*\)$", "", stage))
    if stage_key in _WON:
        return "won"
    if stage_key in _LOST:
        return "lost"
    return "open"


def parse_status(text: str) -> str:
    """A status cell: open, won or lost (also "Closed Won", "In Progress"...)."""
    status_key = fold(text)
    if status_key in _OPEN:
        return "open"
    if status_key in _WON | _LOST:
        return status_from_stage(text)
    raise ValueError(f"unknown status {text!r}: use open, won or lost")


def parse_stage(text: str, preset: Preset) -> str:
    """The stage as this layout labels it; internal ids such as closedwon get their label."""
    label = preset.stage_labels.get(fold(text))
    if label is not None:
        return label
    if preset.only_known_stages:
        raise ValueError(
            f"unknown stage {text!r}: this layout's stages are "
            + ", ".join(sorted(set(preset.stage_labels.values())))
        )
    if not any(char.isalpha() for char in text):
        raise ValueError(
            f"stage {text!r} is not a stage name: export stage names (labels), not their ids"
        )
    return text


def normalize_loss_reason(text: str) -> str:
    """Reasons that mean the buyer decided nothing become "no_decision"; others stay."""
    reason_key = fold(text)
    if reason_key.startswith("nodecision") or reason_key in _NO_DECISION_REASONS:
        return NO_DECISION
    return text


def deal_name(account: str | None, product: str | None, crm_id: str) -> str:
    """A readable name for a deal whose export has none: "Account · Product"."""
    if account and product:
        name = f"{account} · {product}"
    elif account or product:
        name = f"{account or product} · {crm_id}"
    else:
        name = f"Deal {crm_id}"
    return name[: TEXT_LIMITS["name"]]


def parse_deal_rows(
    table: CsvTable,
    mapping: ColumnMapping,
    *,
    default_currency: str,
    progress: Progress = no_progress,
) -> ParsedDeals:
    """Check every row of `table` under `mapping`; good rows become DealRecords."""
    parsers = _cell_parsers(mapping.preset)
    records: list[DealRecord] = []
    rejections: list[RowIssue] = []
    warnings: list[RowIssue] = []
    first_line: dict[str, int] = {}
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        reasons, record = _parse_row(row, mapping, parsers, default_currency)
        crm_id = record.crm_id if record else _raw(row, mapping, "crm_id")
        if crm_id:
            if crm_id in first_line:
                reasons.append(f"crm_id {crm_id!r} already appears on line {first_line[crm_id]}")
            first_line.setdefault(crm_id, row.line)
        if reasons or record is None:
            rejections.append(RowIssue(row.line, "; ".join(reasons), row.cells))
        else:
            records.append(record)
            warnings.extend(RowIssue(row.line, text, row.cells) for text in _doubts(record))
        if done % _REPORT_EVERY == 0 or done == total:
            progress("checking", done, total)
    return ParsedDeals(
        records=records,
        rejections=rejections,
        warnings=warnings,
        owner_given=bool({"owner", "owner_email"} & set(mapping.columns)),
    )


def shift_dates(records: list[DealRecord], today: dt.date) -> tuple[list[DealRecord], int]:
    """Move every date by one offset so the newest becomes `today`; returns (records, days)."""
    dates = [
        value for record in records for field in DATE_FIELDS if (value := record.values.get(field))
    ]
    if not dates:
        return records, 0
    offset = today - max(dates)
    shifted = [
        replace(
            record,
            values={
                field: value + offset if field in DATE_FIELDS and value else value
                for field, value in record.values.items()
            },
        )
        for record in records
    ]
    return shifted, offset.days


def _cell_parsers(preset: Preset) -> dict[str, Callable[[str], Any]]:
    parsers: dict[str, Callable[[str], Any]] = dict.fromkeys(DATE_FIELDS, parse_date)
    parsers.update(
        amount=parse_amount,
        currency=parse_currency,
        owner_email=parse_email,
        status=parse_status,
        loss_reason=normalize_loss_reason,
        stage=lambda text: parse_stage(text, preset),
    )
    return parsers


def _raw(row: CsvRow, mapping: ColumnMapping, field: str) -> str:
    index = mapping.columns.get(field)
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].strip()


def _parse_row(
    row: CsvRow,
    mapping: ColumnMapping,
    parsers: Mapping[str, Callable[[str], Any]],
    default_currency: str,
) -> tuple[list[str], DealRecord | None]:
    if row.error:
        return [row.error], None
    reasons: list[str] = []
    values: dict[str, Any] = {}
    for field in mapping.columns:
        text = _raw(row, mapping, field)
        limit = TEXT_LIMITS.get(field)
        if not text:
            values[field] = None
        elif limit is not None and len(text) > limit:
            reasons.append(
                f"{mapping.column_name(field)}: {len(text)} characters, the limit is {limit}"
            )
        else:
            try:
                values[field] = parsers[field](text) if field in parsers else text
            except ValueError as exc:
                reasons.append(f"{mapping.column_name(field)}: {exc}")
    for required in REQUIRED_FIELDS:
        if required in values and values[required] is None:
            reasons.append(f"{mapping.column_name(required)} (the {required}) is empty")
    if reasons:
        return reasons, None
    return [], _record(row.line, values, default_currency)


def _record(line: int, values: dict[str, Any], default_currency: str) -> DealRecord:
    crm_id = values.pop("crm_id")
    owner_name, owner_email = values.pop("owner", None), values.pop("owner_email", None)
    if owner_name and _is_email(owner_name):
        owner_email = owner_email or owner_name
        owner_name = None
    owner = OwnerRef(owner_name, owner_email) if owner_name or owner_email else None
    values["name"] = values.get("name") or deal_name(
        values.get("account"), values.get("product"), crm_id
    )
    values["status"] = values.get("status") or status_from_stage(values["stage"])
    values["currency"] = values.get("currency") or default_currency
    return DealRecord(line, crm_id, owner, values)


def _is_email(text: str) -> bool:
    try:
        parse_email(text)
    except ValueError:
        return False
    return True


def _doubts(record: DealRecord) -> list[str]:
    """What is odd but importable about a record."""
    values = record.values
    doubts = []
    if values["status"] == "won" and "amount" in values and values["amount"] is None:
        doubts.append("won deal without an amount: imported with no amount")
    if values["status"] != "open" and "close_date" in values and values["close_date"] is None:
        doubts.append(f"{values['status']} deal without a close date: imported with no close date")
    return doubts
