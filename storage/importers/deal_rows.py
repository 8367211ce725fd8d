"""One deal row -> a validated record or its rejection. Pure: no database here.

Every mapped cell is checked under the file's locale; a row with any bad cell is
rejected with all its reasons, naming the file's own column. Empty cells mean "none"
(an empty account is not an error). A report's total rows ("Grand Totals (15 records)",
"Subtotal") are recognised and skipped. A deal is identified by its crm_id, or by a
stable key when the file has no id column. Its stage is placed (stage_placement); a
dated stage entry comes from a stage-change column or HubSpot's "Date entered <stage>".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storage.importers.column_mapping import ColumnMapping
from storage.importers.csv_file import CsvRow
from storage.importers.file_locale import DATE_FIELDS, FileLocale
from storage.importers.money import parse_currency, parse_money
from storage.importers.presets import REQUIRED_FIELDS, Preset
from storage.importers.stage_placement import Placement, StagePlacer
from storage.importers.values import fold, parse_email, parse_probability

TEXT_LIMITS = {
    "crm_id": 100,
    "name": 300,
    "account": 300,
    "product": 200,
    "stage": 100,
    "owner": 200,
    "owner_email": 320,
    "loss_reason": 200,
    "pipeline": 100,
    "forecast_category": 40,
    "deal_type": 100,
    "lead_source": 100,
}
NO_DECISION = "no_decision"
KEY_PREFIX = "key:"
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
_TOTAL_ROW = re.compile(r"(grand\s+)?(sub)?totals?\b", re.IGNORECASE)
_OWN_FIELDS = ("crm_id", "owner", "owner_email", "amount", "currency", "probability")


@dataclass(frozen=True, slots=True)
class OwnerRef:
    """The rep a row names: by name, by email, or both."""

    name: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class DealRecord:
    """One valid row: its line, identity, owner, placement and the deal columns it sets."""

    line: int
    crm_id: str
    owner: OwnerRef | None
    owner_given: bool
    values: Mapping[str, Any]
    placement: Placement
    name_given: bool = False


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one row: a record, or the reasons it was rejected (or a total row)."""

    line: int
    cells: tuple[str, ...]
    identity: str | None = None
    record: DealRecord | None = None
    reasons: list[str] = field(default_factory=list)
    total_row: bool = False


@functools.lru_cache(maxsize=4096)
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
    """A readable name for a deal whose export has none: "Account · Product".

    A product that already starts with the account is not prefixed again.
    """
    if account and product:
        name = product if fold(product).startswith(fold(account)) else f"{account} · {product}"
    elif account or product:
        name = f"{account or product} · {crm_id}"
    else:
        name = f"Deal {crm_id}"
    return name[: TEXT_LIMITS["name"]]


def stable_key(parts: Mapping[str, Any]) -> str:
    """The identity of a deal in a file without ids: a digest of its key fields."""
    text = "\x1f".join(
        f"{name}={value.isoformat() if isinstance(value, dt.date) else fold(str(value or ''))}"
        for name, value in sorted(parts.items())
    )
    return KEY_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class DealRowParser:
    """Checks rows of one file under its mapping, locale and stage placement."""

    def __init__(
        self,
        mapping: ColumnMapping,
        locale: FileLocale,
        placer: StagePlacer,
        *,
        default_currency: str,
        shift: dt.timedelta = dt.timedelta(0),
    ) -> None:
        self.mapping = mapping
        self._locale = locale
        self._placer = placer
        self._currency = default_currency
        self._shift = shift
        self._stages: dict[str, str | ValueError] = {}
        parsers = self._cell_parsers()
        self._fields = [
            (name, index, mapping.header[index], TEXT_LIMITS.get(name), parsers.get(name))
            for name, index in mapping.columns.items()
        ]

    def parse(self, row: CsvRow) -> RowOutcome:
        """The row's record, or every reason it cannot be imported."""
        if row.error:
            return RowOutcome(row.line, row.cells, self._raw(row, "crm_id"), reasons=[row.error])
        if self._is_total(row):
            return RowOutcome(row.line, row.cells, total_row=True)
        reasons: list[str] = []
        values = self._values(row, reasons)
        identity = self._identity(row, values)
        if reasons:
            return RowOutcome(row.line, row.cells, identity, reasons=reasons)
        record = self._record(row.line, identity or "", values)
        return RowOutcome(row.line, row.cells, identity, record)

    def _cell_parsers(self) -> dict[str, Callable[[str], Any]]:
        locale = self._locale
        parsers: dict[str, Callable[[str], Any]] = dict.fromkeys(DATE_FIELDS, locale.date)
        parsers.update(
            amount=lambda text: parse_money(
                text, decimal_mark=locale.decimal_mark, default_currency=self._currency
            ),
            currency=lambda text: parse_currency(text, self._currency),
            probability=lambda text: parse_probability(
                text, fractions=locale.probability_fractions
            ),
            owner_email=parse_email,
            status=parse_status,
            loss_reason=normalize_loss_reason,
            stage=self._stage,
        )
        return parsers

    def _stage(self, text: str) -> str:
        """parse_stage, remembered (a file has few stage names)."""
        if text not in self._stages:
            try:
                self._stages[text] = parse_stage(text, self.mapping.preset)
            except ValueError as exc:
                self._stages[text] = exc
        found = self._stages[text]
        if isinstance(found, ValueError):
            raise found
        return found

    def _values(self, row: CsvRow, reasons: list[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        cells = row.cells
        for name, index, column, limit, parser in self._fields:
            text = cells[index].strip()
            if not text:
                values[name] = None
            elif limit is not None and len(text) > limit:
                reasons.append(f"{column}: {len(text)} characters, the limit is {limit}")
            elif parser is None:
                values[name] = text
            else:
                try:
                    values[name] = parser(text)
                except ValueError as exc:
                    reasons.append(f"{column}: {exc}")
        for required in REQUIRED_FIELDS:
            if required in values and values[required] is None:
                reasons.append(f"{self.mapping.column_name(required)} (the {required}) is empty")
        if self.mapping.identity == "crm_id" and values.get("crm_id", 0) is None:
            reasons.append(f"{self.mapping.column_name('crm_id')} (the crm_id) is empty")
        self._money(values, reasons)
        self._entered_from_stage_columns(row, values, reasons)
        return values

    def _money(self, values: dict[str, Any], reasons: list[str]) -> None:
        money = values.get("amount")
        if money is None:
            return
        values["amount"] = money.amount
        named = values.get("currency")
        if named and money.currency and named != money.currency:
            reasons.append(
                f"{self.mapping.column_name('amount')} is in {money.currency} but "
                f"{self.mapping.column_name('currency')} says {named}"
            )
        values["currency"] = named or money.currency

    def _entered_from_stage_columns(
        self, row: CsvRow, values: dict[str, Any], reasons: list[str]
    ) -> None:
        stage = values.get("stage")
        if values.get("stage_entered_on") or not stage or not self.mapping.entered:
            return
        index = self.mapping.entered_column(stage, values.get("pipeline"))
        text = row.cells[index].strip() if index is not None else ""
        if not text:
            return
        try:
            values["stage_entered_on"] = self._locale.date(text)
        except ValueError as exc:
            reasons.append(f"{self.mapping.header[index or 0]}: {exc}")

    def _identity(self, row: CsvRow, values: Mapping[str, Any]) -> str | None:
        if self.mapping.identity == "crm_id":
            return values.get("crm_id") or self._raw(row, "crm_id") or None
        parts = {name: values.get(name) for name in self.mapping.key_fields}
        if not parts.get("name") or not parts.get("created_on"):
            return None
        return stable_key(parts)

    def _record(self, line: int, crm_id: str, values: dict[str, Any]) -> DealRecord:
        given = {name: value for name, value in values.items() if name not in _OWN_FIELDS}
        name_given = bool(given.get("name"))
        placement = self._placer.place(
            given["stage"], given.get("pipeline"), given.get("forecast_category"),
            values.get("probability"),
        )  # fmt: skip
        given["name"] = given.get("name") or deal_name(
            given.get("account"), given.get("product"), crm_id
        )
        given["status"] = (
            given.get("status") or placement.outcome or status_from_stage(given["stage"])
        )
        given["stage_group"] = placement.group
        if "amount" in values or "currency" in values:
            given["amount"] = values.get("amount")
            given["currency"] = values.get("currency") or self._currency
        if "probability" in values:
            given["probability"] = values["probability"]
        if self._shift:
            for name in DATE_FIELDS:
                if given.get(name):
                    given[name] += self._shift
        return DealRecord(
            line=line,
            crm_id=crm_id,
            owner=_owner(values),
            owner_given=bool({"owner", "owner_email"} & set(self.mapping.columns)),
            values=given,
            placement=placement,
            name_given=name_given,
        )

    def _is_total(self, row: CsvRow) -> bool:
        """A report's total row: no stage, and its first value says "Total"."""
        if self._raw(row, "stage"):
            return False
        first = next((cell.strip() for cell in row.cells if cell.strip()), "")
        return bool(_TOTAL_ROW.match(first))

    def _raw(self, row: CsvRow, name: str) -> str:
        index = self.mapping.columns.get(name)
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index].strip()


def _owner(values: Mapping[str, Any]) -> OwnerRef | None:
    name, email = values.get("owner"), values.get("owner_email")
    if name and _is_email(name):
        email, name = email or name, None
    return OwnerRef(name, email) if name or email else None


def _is_email(text: str) -> bool:
    try:
        parse_email(text)
    except ValueError:
        return False
    return True
