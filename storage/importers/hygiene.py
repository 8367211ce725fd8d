"""The record-hygiene report of an import: rows that import but look wrong in the CRM.

Checked per record, where the file has the columns to tell: a close date before the
created date, no account, a won deal without an amount, a closed deal without a close
date, an open deal without any date a warning could measure time from. Names shared
by several open deals come from the import's staging table (a renamed deal without an
id, a copy made by hand).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from storage.importers.deal_rows import DealRecord
from storage.importers.file_locale import DATE_FIELDS

CHECKS = {
    "close_before_create": "close date before the created date",
    "no_account": "no account",
    "won_without_amount": "won without an amount",
    "closed_without_close_date": "closed without a close date",
    "open_without_dates": (
        "open without a created, close, stage change or activity date (no warning can use "
        "time until later imports)"
    ),
}
SHOWN_LINES = 10


@dataclass
class Finding:
    """How many rows one check caught, and where the first of them are."""

    label: str
    count: int = 0
    places: list[str] = field(default_factory=list)

    def add(self, place: str) -> None:
        self.count += 1
        if len(self.places) < SHOWN_LINES:
            self.places.append(place)


@dataclass(frozen=True, slots=True)
class SharedName:
    """A name several open deals of the import carry, and where."""

    name: str
    places: tuple[str, ...]


@dataclass
class Hygiene:
    """Every check's findings over the import, plus shared names."""

    findings: dict[str, Finding] = field(
        default_factory=lambda: {check: Finding(label) for check, label in CHECKS.items()}
    )
    shared_names: list[SharedName] = field(default_factory=list)
    shared_name_count: int = 0

    def observe(self, record: DealRecord, place: str) -> None:
        for check in _failed(record.values):
            self.findings[check].add(place)

    @property
    def caught(self) -> list[Finding]:
        return [finding for finding in self.findings.values() if finding.count]


def _failed(values: Mapping[str, object]) -> list[str]:
    failed = []
    close, created = values.get("close_date"), values.get("created_on")
    if close is not None and created is not None and close < created:  # type: ignore[operator]
        failed.append("close_before_create")
    if "account" in values and not values["account"]:
        failed.append("no_account")
    status = values["status"]
    if status == "won" and "amount" in values and values["amount"] is None:
        failed.append("won_without_amount")
    if status in ("won", "lost") and "close_date" in values and close is None:
        failed.append("closed_without_close_date")
    if status == "open" and not any(values.get(name) for name in DATE_FIELDS):
        failed.append("open_without_dates")
    return failed
