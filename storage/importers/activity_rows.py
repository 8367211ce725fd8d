"""One activity row -> a checked record or its rejection. Pure: no database here.

The kind comes from the type columns (a specific kind, call/meeting/email/note, wins over
Salesforce's generic "Task"), else from the subject ("Call: ...", "Email: ..."), else a
column only one kind fills (HubSpot's "Call notes", "Meeting name"...) says it, else a
meeting start makes it a meeting, else it is a task (a type the importer doesn't know is
read as a task and reported). The status is the file's (completed,
or scheduled for open tasks and planned meetings), else the date decides. Who acted:

- a meeting held is buyer activity (a no-show is not); a scheduled one is with the buyer;
- a call is buyer activity when it connected or the buyer called, rep activity when
  nobody answered (voicemail, busy...), unknown when the export does not say;
- an email is buyer activity when it came in, rep activity when it went out (Salesforce
  logs the emails sent from it as "Email:" tasks with no direction: the rep's);
- notes and tasks are the rep's.

Cancelled activities are skipped: nothing happened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from storage.importers.activity_columns import ActivityMapping
from storage.importers.activity_time import parse_datetime
from storage.importers.csv_file import CsvRow
from storage.importers.file_locale import FileLocale
from storage.importers.values import fold, parse_email

LIMITS = {"activity_id": 200, "subject": 300, "contact_name": 200}
_KINDS = {
    **dict.fromkeys(("call", "calls", "phonecall", "logacall", "phone", "cadence"), "call"),
    **dict.fromkeys(("meeting", "meetings", "event", "appointment", "demo", "visit"), "meeting"),
    **dict.fromkeys(
        ("email", "emails", "incomingemail", "forwardedemail", "listemail", "sentemail"), "email"
    ),
    **dict.fromkeys(("note", "notes", "comment"), "note"),
    **dict.fromkeys(("task", "tasks", "todo", "other", "linkedin", "followup"), "task"),
}
_SUBJECT_KINDS = (("call", "call"), ("email", "email"), ("meeting", "meeting"))
_COMPLETED = {"completed", "complete", "done", "held", "closed", "sent", "logged", "finished"}
_SCHEDULED = {
    "scheduled",
    "notstarted",
    "inprogress",
    "open",
    "planned",
    "waitingonsomeoneelse",
    "waiting",
    "deferred",
    "rescheduled",
    "pending",
    "queued",
}
_CANCELLED = {"canceled", "cancelled"}
_REACHED = {"connected", "answered", "held", "leftlivemessage", "interested", "notinterested"}
_NOT_REACHED = {
    "noanswer",
    "leftvoicemail",
    "voicemail",
    "busy",
    "wrongnumber",
    "failed",
    "gatekeeper",
    "noshow",
    "missed",
}
_INBOUND = {"inbound", "incoming", "incomingemail", "received", "in", "fromcontact"}
_OUTBOUND = {"outbound", "outgoing", "email", "sent", "out", "forwardedemail", "internal"}


@dataclass(frozen=True, slots=True)
class DealLink:
    """What a row says about its deal: CRM ids, a deal name, an account, an owner."""

    deal_ids: tuple[str, ...]
    deal_name: str | None
    account: str | None
    owner: str | None


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """One valid row, not yet linked to a deal."""

    line: int
    source_ref: str
    kind: str
    status: str
    occurred_at: dt.datetime
    subject: str | None
    body: str | None
    contact_name: str | None
    contact_email: str | None
    direction: str
    link: DealLink


@dataclass(frozen=True, slots=True)
class ActivityOutcome:
    """What became of one row: a record, the reasons it was rejected, or why it was skipped."""

    line: int
    cells: tuple[str, ...]
    record: ActivityRecord | None = None
    reasons: list[str] = field(default_factory=list)
    skipped: str | None = None
    unknown_type: str | None = None
    """A type value not understood: the row was read as a task."""


class ActivityRowParser:
    """Checks the rows of one file under its mapping and locale."""

    def __init__(
        self, mapping: ActivityMapping, locale: FileLocale, *, zone: ZoneInfo, now: dt.datetime
    ) -> None:
        self.mapping = mapping
        self._locale = locale
        self._zone = zone
        self._now = now

    def parse(self, row: CsvRow) -> ActivityOutcome:
        """The row's record, every reason it cannot be imported, or why it is skipped."""
        if row.error:
            return ActivityOutcome(row.line, row.cells, reasons=[row.error])
        reasons: list[str] = []
        cell = self._cells(row)
        when = self._when(cell, reasons)
        kind, unknown_type = self._kind(cell)
        status, outcome = self._status(cell, when, reasons)
        if status == "cancelled":
            return ActivityOutcome(row.line, row.cells, skipped="cancelled")
        email = self._email(cell, reasons)
        if reasons or when is None or status is None:
            return ActivityOutcome(row.line, row.cells, reasons=reasons)
        deal_ids = tuple(
            part.strip() for part in cell("deal_id").replace(",", ";").split(";") if part.strip()
        )
        link = DealLink(deal_ids, cell("deal_name") or None, cell("account") or None,
                        cell("owner") or None)  # fmt: skip
        record = ActivityRecord(
            line=row.line,
            source_ref=cell("activity_id")[: LIMITS["activity_id"]] or _row_digest(row.cells),
            kind=kind,
            status=status,
            occurred_at=when,
            subject=cell("subject")[: LIMITS["subject"]] or None,
            body=cell("body") or None,
            contact_name=cell("contact_name")[: LIMITS["contact_name"]] or None,
            contact_email=email,
            direction=_direction(kind, status, outcome, self._direction_word(cell, kind)),
            link=link,
        )
        return ActivityOutcome(row.line, row.cells, record=record, unknown_type=unknown_type)

    def _direction_word(self, cell: _Cells, kind: str) -> str:
        word = fold(cell("direction"))
        if not word and kind == "email":
            return self.mapping.preset.email_direction
        return word

    def _cells(self, row: CsvRow) -> _Cells:
        return _Cells(row.cells, self.mapping)

    def _when(self, cell: _Cells, reasons: list[str]) -> dt.datetime | None:
        name = "meeting_start" if cell("meeting_start") else "occurred_at"
        text = cell(name)
        if not text:
            reasons.append(f"no date in {self._names('occurred_at', 'meeting_start')}")
            return None
        try:
            return parse_datetime(text, self._locale, self._zone)
        except ValueError as exc:
            reasons.append(f"{cell.column(name)}: {exc}")
            return None

    def _kind(self, cell: _Cells) -> tuple[str, str | None]:
        """The kind, and the type cell that was not understood (read as a task)."""
        values = cell.all("kind")
        kinds = [_KINDS.get(fold(value)) for value in values]
        specific = [kind for kind in kinds if kind and kind != "task"]
        if specific:
            return specific[0], None
        for index, kind in self.mapping.kind_hints:
            if cell.at(index):
                return kind, None
        subject = fold(cell("subject"))
        for prefix, kind in _SUBJECT_KINDS:
            if subject.startswith(prefix):
                return kind, None
        if cell("meeting_start"):
            return "meeting", None
        unknown = next((v for v, k in zip(values, kinds, strict=True) if k is None), None)
        return "task", None if "task" in kinds else unknown

    def _status(
        self, cell: _Cells, when: dt.datetime | None, reasons: list[str]
    ) -> tuple[str | None, str]:
        """completed, scheduled or cancelled, and the outcome word (folded) that said so."""
        words = [fold(value) for value in (*cell.all("outcome"), *cell.all("status"))]
        if any(word in _CANCELLED for word in words):
            return "cancelled", "cancelled"
        outcome = next((w for w in words if w in _REACHED | _NOT_REACHED), "")
        for word in (fold(value) for value in cell.all("status")):
            if word in _COMPLETED or word in _REACHED | _NOT_REACHED:
                return "completed", outcome
            if word in _SCHEDULED:
                return "scheduled", outcome
            reasons.append(
                f"{cell.column('status')}: unknown status {cell('status')!r} (use completed "
                "or scheduled)"
            )
            return None, outcome
        if outcome:
            return "completed", outcome
        if when is None:
            return None, outcome
        return ("scheduled" if when > self._now else "completed"), outcome

    def _email(self, cell: _Cells, reasons: list[str]) -> str | None:
        text = cell("contact_email")
        if not text:
            return None
        for part in text.replace(",", ";").split(";"):
            try:
                return parse_email(part.strip())[:320]
            except ValueError:
                continue
        reasons.append(f"{cell.column('contact_email')}: {text!r} is not an email address")
        return None

    def _names(self, *fields: str) -> str:
        header = self.mapping.header
        return " or ".join(
            repr(header[index]) for name in fields for index in self.mapping.columns.get(name, ())
        )


class _Cells:
    """A row's cells by field: each field's non-empty values, the first one wins."""

    def __init__(self, cells: tuple[str, ...], mapping: ActivityMapping) -> None:
        self._cells = cells
        self._columns = mapping.columns
        self._header = mapping.header
        self._values: dict[str, list[str]] = {}
        for name, indexes in mapping.columns.items():
            found = [text for index in indexes if (text := cells[index].strip())]
            if found:
                self._values[name] = found

    def __call__(self, name: str) -> str:
        found = self._values.get(name)
        return found[0] if found else ""

    def at(self, index: int) -> str:
        return self._cells[index].strip()

    def all(self, name: str) -> list[str]:
        return self._values.get(name, [])

    def column(self, name: str) -> str:
        """The header name of the column that gave this field's value (or its first)."""
        indexes = self._columns.get(name, ())
        given = next((i for i in indexes if self._cells[i].strip()), None)
        index = given if given is not None else indexes[0] if indexes else None
        return repr(self._header[index]) if index is not None else name


def _direction(kind: str, status: str, outcome: str, direction: str) -> str:
    """buyer, rep or unknown: see the module docstring."""
    if kind in {"note", "task"}:
        return "rep"
    if kind == "meeting":
        return "rep" if outcome in _NOT_REACHED else "buyer"
    if status == "scheduled":
        return "rep" if kind == "call" else "unknown"
    if outcome in _NOT_REACHED:
        return "rep"
    if outcome in _REACHED or direction in _INBOUND:
        return "buyer"
    if direction in _OUTBOUND:
        return "rep" if kind == "email" else "unknown"
    return "unknown"


def _row_digest(cells: tuple[str, ...]) -> str:
    """The key of a row without an id: the same row imported again is the same activity."""
    text = "\x1f".join(cell.strip() for cell in cells)
    return "row:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
