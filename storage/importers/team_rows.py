"""Team rows (rep, manager, region...) -> validated records or rejections. Pure.

Columns, matched ignoring case, spaces and underscores: rep (or sales_agent), manager,
region (or regional_office), email, manager_email, timezone; only rep is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.importers.csv_file import CsvRow, CsvTable
from storage.importers.errors import ImportAborted
from storage.importers.reporting import RowIssue
from storage.importers.values import fold, parse_email

TEAM_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "rep": ("rep", "sales_agent", "rep_name"),
    "email": ("email", "rep_email"),
    "manager": ("manager", "manager_name"),
    "manager_email": ("manager_email",),
    "region": ("region", "regional_office"),
    "timezone": ("timezone", "time_zone"),
}
_LIMITS = {"rep": 200, "manager": 200, "region": 100, "email": 320, "manager_email": 320}
_REGION_TIMEZONES = {
    "America/New_York": ("east", "eastern", "eastcoast", "useast", "northeast", "southeast"),
    "America/Chicago": ("central", "uscentral", "midwest"),
    "America/Denver": ("mountain", "usmountain"),
    "America/Los_Angeles": ("west", "western", "westcoast", "uswest", "pacific"),
    "America/Anchorage": ("alaska",),
    "Pacific/Honolulu": ("hawaii",),
}
_TIMEZONE_BY_REGION = {
    region: zone for zone, regions in _REGION_TIMEZONES.items() for region in regions
}


@dataclass(frozen=True, slots=True)
class TeamRecord:
    """One valid row: a rep, their manager and region, and optional details."""

    line: int
    rep: str
    email: str | None
    manager: str | None
    manager_email: str | None
    region: str | None
    timezone: str | None


@dataclass(frozen=True)
class ParsedTeam:
    """The outcome of checking a team file; `columns` are the fields it has."""

    records: list[TeamRecord]
    rejections: list[RowIssue]
    columns: frozenset[str]


def region_timezone(region: str | None) -> str | None:
    """The America/* zone of a well-known US region name (East, Central, West...)."""
    return _TIMEZONE_BY_REGION.get(fold(region)) if region else None


def team_columns(header: tuple[str, ...]) -> dict[str, int]:
    """Field -> column index, or ImportAborted when there is no rep column."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(fold(name), index)
    columns: dict[str, int] = {}
    for field, names in TEAM_COLUMNS.items():
        found = [positions[fold(name)] for name in names if fold(name) in positions]
        if found:
            columns[field] = found[0]
    if "rep" not in columns:
        raise ImportAborted(
            "the file has no rep column (named rep or sales_agent); its columns are: "
            + (", ".join(repr(name) for name in header if name) or "(none)")
            + "\nadd a header row such as: rep,manager,region,email,manager_email,timezone"
        )
    return columns


def parse_team_rows(table: CsvTable) -> ParsedTeam:
    """Check every row; the first row naming a rep wins, later ones are rejected."""
    columns = team_columns(table.header)
    records: list[TeamRecord] = []
    rejections: list[RowIssue] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        reasons, record = _parse_row(row, columns)
        if record is not None:
            rep_key = (record.email or record.rep).casefold()
            if rep_key in first_line:
                reasons.append(f"{record.rep} already appears on line {first_line[rep_key]}")
            first_line.setdefault(rep_key, row.line)
        if reasons or record is None:
            rejections.append(RowIssue(row.line, "; ".join(reasons), row.cells))
        else:
            records.append(record)
    return ParsedTeam(records, rejections, frozenset(columns))


def _parse_row(row: CsvRow, columns: Mapping[str, int]) -> tuple[list[str], TeamRecord | None]:
    if row.error:
        return [row.error], None
    cell = {field: row.cells[index].strip() for field, index in columns.items()}
    reasons = _problems(cell)
    if reasons:
        return reasons, None
    return [], TeamRecord(
        line=row.line,
        rep=cell["rep"],
        email=cell.get("email") or None,
        manager=cell.get("manager") or None,
        manager_email=cell.get("manager_email") or None,
        region=cell.get("region") or None,
        timezone=cell.get("timezone") or None,
    )


def _problems(cell: Mapping[str, str]) -> list[str]:
    reasons: list[str] = []
    for field, limit in _LIMITS.items():
        if len(cell.get(field, "")) > limit:
            reasons.append(f"{field}: longer than {limit} characters")
    if not cell["rep"]:
        reasons.append("rep is empty")
    for field in ("email", "manager_email"):
        if cell.get(field):
            try:
                parse_email(cell[field])
            except ValueError as exc:
                reasons.append(f"{field}: {exc}")
    if cell.get("timezone"):
        try:
            ZoneInfo(cell["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            reasons.append(
                f"timezone: {cell['timezone']!r} is not an IANA time zone "
                "(write it like America/Chicago or Europe/Berlin)"
            )
    if cell["rep"] and _same_person(cell):
        reasons.append(f"{cell['rep']} is listed as their own manager")
    return reasons


def _same_person(cell: Mapping[str, str]) -> bool:
    if cell.get("email") and cell.get("manager_email"):
        return cell["email"].casefold() == cell["manager_email"].casefold()
    return cell["rep"].casefold() == cell.get("manager", "").casefold()
