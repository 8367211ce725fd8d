"""Team rows to records or rejections, and region time zones."""

from __future__ import annotations

import pytest

from storage.importers.csv_file import CsvRow, CsvTable
from storage.importers.errors import ImportAborted
from storage.importers.team_rows import TeamRecord, parse_team_rows, region_timezone


def table(header: tuple[str, ...], *rows: tuple[str, ...]) -> CsvTable:
    return CsvTable(
        header,
        tuple(CsvRow(line, row) for line, row in enumerate(rows, start=2)),
        "utf-8-sig",
    )


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        ("East", "America/New_York"),
        ("Central", "America/Chicago"),
        ("Mountain", "America/Denver"),
        ("West", "America/Los_Angeles"),
        ("pacific", "America/Los_Angeles"),
        ("US East", "America/New_York"),
        ("EMEA", None),
        (None, None),
    ],
)
def test_region_timezones(region: str | None, zone: str | None) -> None:
    assert region_timezone(region) == zone


def test_crm_sample_column_names() -> None:
    parsed = parse_team_rows(
        table(
            ("sales_agent", "manager", "regional_office"),
            ("Donn Cantrell", "Rocco Neubert", "Central"),
        )
    )
    assert parsed.records == [
        TeamRecord(2, "Donn Cantrell", None, "Rocco Neubert", None, "Central", None)
    ]
    assert parsed.columns == {"rep", "manager", "region"}


def test_all_columns() -> None:
    header = ("Rep", "Email", "Manager", "Manager Email", "Region", "Timezone")
    parsed = parse_team_rows(
        table(header, ("Ann Lee", "ann@x.com", "Mo Chen", "mo@x.com", "EMEA", "Europe/Berlin"))
    )
    assert parsed.records == [
        TeamRecord(2, "Ann Lee", "ann@x.com", "Mo Chen", "mo@x.com", "EMEA", "Europe/Berlin")
    ]


def test_bad_rows_are_rejected_with_their_line() -> None:
    header = ("rep", "email", "manager", "region", "timezone")
    parsed = parse_team_rows(
        table(
            header,
            ("", "", "Mo", "East", ""),
            ("Ann", "ann-at-x", "Mo", "East", "Mars/Olympus"),
            ("Mo", "", "mo", "East", ""),
            ("Bo", "", "Mo", "East", ""),
            ("bo", "", "Mo", "West", ""),
        )
    )
    assert [record.rep for record in parsed.records] == ["Bo"]
    assert {issue.line: issue.reason for issue in parsed.rejections} == {
        2: "rep is empty",
        3: "email: 'ann-at-x' is not an email address; timezone: 'Mars/Olympus' is not an IANA "
        "time zone (write it like America/Chicago or Europe/Berlin)",
        4: "Mo is listed as their own manager",
        6: "bo already appears on line 5",
    }


def test_a_file_without_a_rep_column_is_refused() -> None:
    with pytest.raises(ImportAborted, match=r"no rep column .* its columns are: 'name', 'boss'"):
        parse_team_rows(table(("name", "boss"), ("Ann", "Mo")))
