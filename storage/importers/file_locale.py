"""How one export writes dates, amounts and probabilities, judged over the whole file.

A first pass over the rows (`LocaleScan`) notes the first cell that shows each date order
and each decimal mark, and whether probabilities are fractions of one; `decide` then
fixes one reading for the file, or says which option would settle it. The user's
options (--day-first/--month-first, --date-format, --decimal-comma/--decimal-point) win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from storage.importers.column_mapping import ColumnMapping
from storage.importers.csv_file import CsvFile, CsvRow
from storage.importers.dates import DateOrderEvidence, parse_date
from storage.importers.errors import ImportAborted
from storage.importers.money import DecimalMark, DecimalMarkEvidence
from storage.importers.values import probability_number

DATE_FIELDS = ("close_date", "created_on", "stage_entered_on", "last_activity_on", "next_step_on")


@dataclass(frozen=True)
class LocaleChoices:
    """What the user said about the file's locale (None: judge the file)."""

    day_first: bool | None = None
    date_format: str | None = None
    decimal_mark: DecimalMark | None = None


@dataclass(frozen=True)
class FileLocale:
    """The one reading used for every cell of a file, and how it was chosen."""

    day_first: bool | None = None
    date_format: str | None = None
    decimal_mark: DecimalMark | None = None
    probability_fractions: bool = False
    notes: tuple[str, ...] = ()

    def date(self, text: str) -> dt.date:
        return parse_date(text, day_first=self.day_first, date_format=self.date_format)


class LocaleScan:
    """The first pass over a file: evidence about its locale, and its row count.

    Any importer can use it: give the header and which columns hold dates, the amount
    and the probability (`for_deals` does that for a deals mapping).
    """

    def __init__(
        self,
        header: tuple[str, ...],
        date_columns: Iterable[int],
        amount_column: int | None = None,
        probability_column: int | None = None,
    ) -> None:
        self._dates = [(index, header[index]) for index in sorted(set(date_columns))]
        self._amount = amount_column
        self._probability = probability_column
        self._header = header
        self.date_order = DateOrderEvidence()
        self.decimal_mark = DecimalMarkEvidence()
        self.rows = 0
        self._percent_sign = False
        self._above_one = False

    @classmethod
    def for_deals(cls, mapping: ColumnMapping) -> LocaleScan:
        return cls(
            mapping.header,
            _date_columns(mapping),
            mapping.columns.get("amount"),
            mapping.columns.get("probability"),
        )

    def observe(self, row: CsvRow) -> None:
        self.rows += 1
        cells = row.cells
        if row.error or len(cells) != len(self._header):
            return
        for index, column in self._dates:
            text = cells[index].strip()
            if _numeric_date_like(text):
                self.date_order.observe(text, row.line, column)
        if self._amount is not None and (text := cells[self._amount].strip()):
            self.decimal_mark.observe(text, row.line, self._header[self._amount])
        if self._probability is not None and (text := cells[self._probability].strip()):
            number = probability_number(text)
            self._percent_sign |= text.endswith("%")
            self._above_one |= number is not None and number.is_finite() and number > 1

    def decide(self, choices: LocaleChoices) -> FileLocale:
        """One reading for the file, or ImportAborted saying which option settles it."""
        try:
            day_first = None if choices.date_format else self.date_order.decide(choices.day_first)
            decimal_mark = self.decimal_mark.decide(choices.decimal_mark)
        except ValueError as exc:
            raise ImportAborted(str(exc)) from None
        fractions = not self._percent_sign and not self._above_one
        notes = [
            f"dates as {choices.date_format!r}" if choices.date_format else "",
            self.date_order.reading(day_first),
            self.decimal_mark.reading(decimal_mark),
            "probabilities as fractions of 1" if fractions and self._probability else "",
        ]
        return FileLocale(
            day_first=day_first,
            date_format=choices.date_format,
            decimal_mark=decimal_mark,
            probability_fractions=fractions,
            notes=tuple(note for note in notes if note),
        )


def _date_columns(mapping: ColumnMapping) -> list[int]:
    named = {mapping.columns[name] for name in DATE_FIELDS if name in mapping.columns}
    return sorted(named | set(mapping.entered.values()))


def _numeric_date_like(text: str) -> bool:
    """A cheap test before the full one: 5/6/2017 or 05-06-17, not 2017-05-06."""
    return len(text) >= 6 and text[0].isdigit() and (text[1] in "/-" or text[2] in "/-")


def newest_date(file: CsvFile, mapping: ColumnMapping, locale: FileLocale) -> dt.date | None:
    """The latest readable date in the file's date columns (for --shift-dates-to-today)."""
    columns = _date_columns(mapping)
    newest: dt.date | None = None
    for row in file.rows():
        if row.error or len(row.cells) != len(mapping.header):
            continue
        for index in columns:
            if text := row.cells[index].strip():
                try:
                    value = locale.date(text)
                except ValueError:
                    continue
                newest = value if newest is None or value > newest else newest
    return newest
