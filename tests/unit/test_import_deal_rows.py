"""Deal rows to records or rejections: stages, statuses, loss reasons, names, dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage.importers.column_mapping import map_columns, parse_map_options
from storage.importers.csv_file import CsvRow, CsvTable
from storage.importers.deal_rows import (
    DealRecord,
    OwnerRef,
    deal_name,
    normalize_loss_reason,
    parse_deal_rows,
    parse_stage,
    parse_status,
    shift_dates,
    status_from_stage,
)
from storage.importers.presets import CRM_SAMPLE, HUBSPOT, SALESFORCE

SAMPLE_HEADER = (
    "account",
    "opportunity_id",
    "sales_agent",
    "deal_stage",
    "product",
    "close_date",
    "close_value",
    "created_on",
)


def table(header: tuple[str, ...], *rows: tuple[str, ...]) -> CsvTable:
    return CsvTable(
        header,
        tuple(CsvRow(line, row) for line, row in enumerate(rows, start=2)),
        "utf-8-sig",
    )


def parse(header: tuple[str, ...], *rows: tuple[str, ...], options: tuple[str, ...] = ()):
    mapping = map_columns(header, "auto", parse_map_options(options))
    return parse_deal_rows(table(header, *rows), mapping, default_currency="USD")


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("Closed Won", "won"),
        ("Closed Won (Sales Pipeline)", "won"),
        ("Closed lost (Renewals)", "lost"),
        ("closedwon", "won"),
        ("Won", "won"),
        ("Closed Lost", "lost"),
        ("closedlost", "lost"),
        ("Lost", "lost"),
        ("Negotiation/Review", "open"),
        ("In_Progress", "open"),
        ("appointmentscheduled", "open"),
    ],
)
def test_status_comes_from_the_stage(stage: str, status: str) -> None:
    assert status_from_stage(stage) == status


def test_status_cells() -> None:
    assert parse_status("Open") == "open"
    assert parse_status("In Progress") == "open"
    assert parse_status("Closed Won") == "won"
    assert parse_status("LOST") == "lost"
    with pytest.raises(ValueError, match="unknown status 'maybe': use open, won or lost"):
        parse_status("maybe")


def test_stage_labels_per_layout() -> None:
    assert parse_stage("closedwon", HUBSPOT) == "Closed Won"
    assert parse_stage("decisionmakerboughtin", HUBSPOT) == "Decision Maker Bought-In"
    assert parse_stage("Decision maker bought-in", HUBSPOT) == "Decision Maker Bought-In"
    assert parse_stage("Custom Stage", HUBSPOT) == "Custom Stage"
    assert parse_stage("In_Progress", CRM_SAMPLE) == "In Progress"
    assert parse_stage("Id. Decision Makers", SALESFORCE) == "Id. Decision Makers"


def test_unknown_stage_formats_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown stage 'Pending': this layout's stages are"):
        parse_stage("Pending", CRM_SAMPLE)
    with pytest.raises(ValueError, match="not a stage name"):
        parse_stage("1234567", HUBSPOT)


@pytest.mark.parametrize(
    "reason",
    [
        "No Decision",
        "No decision / Non-Responsive",
        "no_decision",
        "Went with status quo",
        "Do nothing",
        "Status Quo",
    ],
)
def test_no_decision_reasons(reason: str) -> None:
    assert normalize_loss_reason(reason) == "no_decision"


def test_other_loss_reasons_stay() -> None:
    assert normalize_loss_reason("Lost to Competitor") == "Lost to Competitor"
    assert normalize_loss_reason("Price") == "Price"


def test_deal_names_for_exports_without_one() -> None:
    assert deal_name("Silis", "GTXPro", "R22O68FF") == "Silis · GTXPro"
    assert deal_name(None, "GTXPro", "MA82HVCI") == "GTXPro · MA82HVCI"
    assert deal_name("Silis", None, "R22O68FF") == "Silis · R22O68FF"
    assert deal_name(None, None, "R22O68FF") == "Deal R22O68FF"


def test_crm_sample_rows() -> None:
    parsed = parse(
        SAMPLE_HEADER,
        (
            "Sunnamplex",
            "67HY0MW7",
            "Donn Cantrell",
            "Won",
            "GTXBasic",
            "2017-05-06",
            "500.0",
            "2017-04-24",
        ),
        ("", "MA82HVCI", "James Ascencio", "In_Progress", "GTXPro", "", "", "2017-06-15"),
    )
    assert parsed.rejections == [] and parsed.warnings == []
    won, open_deal = parsed.records
    assert won == DealRecord(
        line=2,
        crm_id="67HY0MW7",
        owner=OwnerRef("Donn Cantrell", None),
        values={
            "account": "Sunnamplex",
            "stage": "Won",
            "product": "GTXBasic",
            "close_date": dt.date(2017, 5, 6),
            "amount": Decimal("500.00"),
            "created_on": dt.date(2017, 4, 24),
            "name": "Sunnamplex · GTXBasic",
            "status": "won",
            "currency": "USD",
        },
    )
    assert open_deal.values["account"] is None
    assert open_deal.values["close_date"] is None
    assert open_deal.values["amount"] is None
    assert open_deal.values["status"] == "open"
    assert open_deal.values["name"] == "GTXPro · MA82HVCI"
    assert parsed.owner_given


def test_bad_rows_are_rejected_with_every_reason_and_their_line() -> None:
    parsed = parse(
        SAMPLE_HEADER,
        ("Silis", "A1", "Ann", "Won", "GTXPro", "2017-13-45", "12abc", "2017-01-01"),
        ("Silis", "", "Ann", "Won", "GTXPro", "2017-05-01", "10", "2017-01-01"),
        ("Silis", "A3", "Ann", "Pending", "GTXPro", "", "", "2017-01-01"),
        ("Silis", "A4", "Ann", "Lost", "GTXPro", "2017-05-01", "0", "2017-01-01"),
        ("Silis", "A4", "Ann", "Won", "GTXPro", "2017-05-01", "10", "2017-01-01"),
        ("Silis", "A6", "Ann", "", "GTXPro", "", "", "2017-01-01"),
    )
    assert [record.crm_id for record in parsed.records] == ["A4"]
    reasons = {issue.line: issue.reason for issue in parsed.rejections}
    assert reasons == {
        2: "close_date: '2017-13-45' is not a real date; close_value: cannot read '12abc' as an "
        "amount (write it like 1234.50 or $1,234.50)",
        3: "opportunity_id (the crm_id) is empty",
        4: "deal_stage: unknown stage 'Pending': this layout's stages are Engaging, In Progress, "
        "Lost, Prospecting, Won",
        6: "crm_id 'A4' already appears on line 5",
        7: "deal_stage (the stage) is empty",
    }
    assert parsed.rejections[0].cells[1] == "A1"


def test_rows_with_doubts_are_imported_with_a_warning() -> None:
    parsed = parse(
        SAMPLE_HEADER,
        ("Silis", "A1", "Ann", "Won", "GTXPro", "2017-05-01", "", "2017-01-01"),
        ("Silis", "A2", "Ann", "Lost", "GTXPro", "", "0", "2017-01-01"),
    )
    assert len(parsed.records) == 2
    assert [(issue.line, issue.reason) for issue in parsed.warnings] == [
        (2, "won deal without an amount: imported with no amount"),
        (3, "lost deal without a close date: imported with no close date"),
    ]


def test_salesforce_rows_with_owner_email_currency_and_loss_reason() -> None:
    header = (
        "Opportunity ID",
        "Opportunity Name",
        "Stage",
        "Amount",
        "Currency",
        "Close Date",
        "Opportunity Owner",
        "Owner Email",
        "Loss Reason",
        "Description",
        "Next Step",
    )
    parsed = parse(
        header,
        (
            "006A",
            "Acme renewal",
            "Closed Lost",
            "$12,500.00",
            "eur",
            "6/30/2017",
            "Ann Lee",
            "ann@example.com",
            "No decision / Non-Responsive",
            "Candid notes",
            "Call CFO",
        ),
        ("006B", "", "Prospecting", "", "", "", "bob@example.com", "", "", "", ""),
    )
    assert parsed.rejections == []
    lost, prospect = parsed.records
    assert lost.owner == OwnerRef("Ann Lee", "ann@example.com")
    assert lost.values["amount"] == Decimal("12500.00")
    assert lost.values["currency"] == "EUR"
    assert lost.values["close_date"] == dt.date(2017, 6, 30)
    assert lost.values["status"] == "lost"
    assert lost.values["loss_reason"] == "no_decision"
    assert lost.values["description"] == "Candid notes"
    assert "shared_summary" not in lost.values
    assert prospect.owner == OwnerRef(None, "bob@example.com")
    assert prospect.values["name"] == "Deal 006B"
    assert prospect.values["currency"] == "USD"


def test_a_status_column_wins_over_the_stage() -> None:
    header = ("id", "phase", "state")
    parsed = parse(
        header,
        ("1", "Contract", "won"),
        ("2", "Contract", ""),
        options=("id=crm_id", "phase=stage", "state=status"),
    )
    assert [record.values["status"] for record in parsed.records] == ["won", "open"]


def test_values_longer_than_their_column_are_rejected() -> None:
    parsed = parse(SAMPLE_HEADER, ("x" * 301, "A1", "Ann", "Won", "GTXPro", "", "1", ""))
    assert parsed.rejections[0].reason == "account: 301 characters, the limit is 300"


def test_shift_dates_moves_the_newest_date_to_today() -> None:
    records = [
        DealRecord(2, "A", None, {"close_date": dt.date(2017, 12, 31), "created_on": None}),
        DealRecord(3, "B", None, {"created_on": dt.date(2017, 1, 1), "amount": Decimal(5)}),
    ]
    shifted, days = shift_dates(records, dt.date(2026, 11, 23))
    assert days == (dt.date(2026, 11, 23) - dt.date(2017, 12, 31)).days
    assert shifted[0].values == {"close_date": dt.date(2026, 11, 23), "created_on": None}
    assert shifted[1].values["created_on"] == dt.date(2026, 11, 23) - dt.timedelta(days=364)
    assert shifted[1].values["amount"] == Decimal(5)
    assert records[0].values["close_date"] == dt.date(2017, 12, 31)
