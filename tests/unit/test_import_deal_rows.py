"""Deal rows to records or rejections: stages, statuses, loss reasons, names, dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coaching.playbook import load_playbook
from storage.importers.column_mapping import map_columns, parse_map_options
from storage.importers.csv_file import CsvRow
from storage.importers.deal_rows import (
    KEY_PREFIX,
    DealRowParser,
    OwnerRef,
    RowOutcome,
    deal_name,
    normalize_loss_reason,
    parse_stage,
    parse_status,
    status_from_stage,
)
from storage.importers.file_locale import FileLocale
from storage.importers.presets import CRM_SAMPLE, HUBSPOT, SALESFORCE
from storage.importers.stage_placement import (
    StagePlacer,
    load_stage_signals,
    parse_stage_map_options,
)

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


def parse(
    header: tuple[str, ...],
    *rows: tuple[str, ...],
    options: tuple[str, ...] = (),
    locale: FileLocale | None = None,
    stage_map: tuple[str, ...] = (),
    shift: dt.timedelta = dt.timedelta(0),
) -> list[RowOutcome]:
    mapping = map_columns(header, "auto", parse_map_options(options))
    placer = StagePlacer(load_playbook(), parse_stage_map_options(stage_map), load_stage_signals())
    parser = DealRowParser(
        mapping, locale or FileLocale(), placer, default_currency="USD", shift=shift
    )
    return [parser.parse(CsvRow(line, row)) for line, row in enumerate(rows, start=2)]


def records(outcomes: list[RowOutcome]) -> list:
    assert [outcome.reasons for outcome in outcomes if outcome.reasons] == []
    return [outcome.record for outcome in outcomes]


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
    assert deal_name("Betasoloin", "Betasoloin - GTX Plus Pro", "1") == "Betasoloin - GTX Plus Pro"
    assert deal_name(None, "GTXPro", "MA82HVCI") == "GTXPro · MA82HVCI"
    assert deal_name("Silis", None, "R22O68FF") == "Silis · R22O68FF"
    assert deal_name(None, None, "R22O68FF") == "Deal R22O68FF"


def test_crm_sample_rows() -> None:
    won, open_deal = records(
        parse(
            SAMPLE_HEADER,
            ("Sunnamplex", "67HY0MW7", "Donn Cantrell", "Won", "GTXBasic", "2017-05-06",
             "500.0", "2017-04-24"),
            ("", "MA82HVCI", "James Ascencio", "In_Progress", "GTXPro", "", "", "2017-06-15"),
        )
    )  # fmt: skip
    assert (won.line, won.crm_id, won.owner) == (2, "67HY0MW7", OwnerRef("Donn Cantrell", None))
    assert won.owner_given and not won.name_given
    assert won.values == {
        "account": "Sunnamplex",
        "stage": "Won",
        "product": "GTXBasic",
        "close_date": dt.date(2017, 5, 6),
        "amount": Decimal("500.00"),
        "created_on": dt.date(2017, 4, 24),
        "name": "Sunnamplex · GTXBasic",
        "status": "won",
        "currency": "USD",
        "stage_group": None,
    }
    assert open_deal.values["account"] is None
    assert open_deal.values["close_date"] is None
    assert open_deal.values["amount"] is None
    assert open_deal.values["status"] == "open"
    assert open_deal.values["name"] == "GTXPro · MA82HVCI"
    assert open_deal.placement.known and open_deal.placement.basis == "playbook"


def test_bad_rows_are_rejected_with_every_reason_and_their_line() -> None:
    outcomes = parse(
        SAMPLE_HEADER,
        ("Silis", "A1", "Ann", "Won", "GTXPro", "2017-13-45", "12abc", "2017-01-01"),
        ("Silis", "", "Ann", "Won", "GTXPro", "2017-05-01", "10", "2017-01-01"),
        ("Silis", "A3", "Ann", "Pending", "GTXPro", "", "", "2017-01-01"),
        ("Silis", "A6", "Ann", "", "GTXPro", "", "", "2017-01-01"),
    )
    assert {outcome.line: "; ".join(outcome.reasons) for outcome in outcomes} == {
        2: "close_date: '2017-13-45' is not a real date; close_value: cannot read '12abc' as an "
        "amount (write it like 1234.50 or $1,234.50)",
        3: "opportunity_id (the crm_id) is empty",
        4: "deal_stage: unknown stage 'Pending': this layout's stages are Engaging, In Progress, "
        "Lost, Prospecting, Won",
        5: "deal_stage (the stage) is empty",
    }
    assert [outcome.identity for outcome in outcomes] == ["A1", None, "A3", "A6"]
    assert outcomes[0].cells[1] == "A1"


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
        "Forecast Category",
        "Probability (%)",
        "Type",
        "Lead Source",
    )
    lost, prospect = records(
        parse(
            header,
            ("006A", "Acme renewal", "Closed Lost", "$12,500.00", "usd", "6/30/2017", "Ann Lee",
             "ann@example.com", "No decision / Non-Responsive", "Candid notes", "Call CFO",
             "Omitted", "0%", "Renewal", "Partner"),
            ("006B", "", "Prospecting", "", "", "", "bob@example.com", "", "", "", "", "", "",
             "", ""),
        )
    )  # fmt: skip
    assert lost.owner == OwnerRef("Ann Lee", "ann@example.com")
    assert lost.values["amount"] == Decimal("12500.00")
    assert lost.values["currency"] == "USD"
    assert lost.values["close_date"] == dt.date(2017, 6, 30)
    assert lost.values["status"] == "lost"
    assert lost.values["loss_reason"] == "no_decision"
    assert lost.values["description"] == "Candid notes"
    assert (lost.values["next_step"], lost.values["forecast_category"]) == ("Call CFO", "Omitted")
    assert (lost.values["probability"], lost.values["deal_type"]) == (0, "Renewal")
    assert lost.values["lead_source"] == "Partner"
    assert "shared_summary" not in lost.values
    assert prospect.owner == OwnerRef(None, "bob@example.com")
    assert prospect.values["name"] == "Deal 006B"
    assert prospect.values["currency"] == "USD"


def test_the_currency_comes_from_the_column_or_the_amount_and_must_agree() -> None:
    header = ("Opportunity ID", "Stage", "Amount", "Currency")
    outcomes = parse(
        header,
        ("1", "Proposal", "€ 15.000,00", ""),
        ("2", "Proposal", "15000", "GBP"),
        ("3", "Proposal", "EUR 15,000.00", "EUR"),
        ("4", "Proposal", "EUR 15,000.00", "USD"),
        ("5", "Proposal", "15000", ""),
    )
    currencies = [o.record.values["currency"] if o.record else o.reasons for o in outcomes]
    assert currencies == ["EUR", "GBP", "EUR", ["Amount is in EUR but Currency says USD"], "USD"]


def test_a_day_first_locale_with_decimal_commas() -> None:
    header = ("Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Create Date")
    (deal,) = records(
        parse(
            header,
            ("901", "Müller GmbH", "Verbal Commit", "15.000", "04/12/2026 09:15", "01/02/2026"),
            locale=FileLocale(day_first=True, decimal_mark=","),
        )
    )
    assert deal.values["amount"] == Decimal("15000.00")
    assert deal.values["close_date"] == dt.date(2026, 12, 4)
    assert deal.values["created_on"] == dt.date(2026, 2, 1)


def test_stages_are_placed_by_the_map_the_forecast_the_probability() -> None:
    header = ("Opportunity ID", "Stage", "Pipeline", "Forecast Category", "Probability (%)")
    outcomes = parse(
        header,
        ("1", "Verbal Commit", "Enterprise", "", ""),
        ("2", "Evaluation", "Enterprise", "", ""),
        ("3", "Evaluation", "SMB", "", ""),
        ("4", "Prospecting", "SMB", "Commit", "10%"),
        ("5", "Demo Completed", "SMB", "", "40%"),
        ("6", "Mystery", "SMB", "", ""),
        ("7", "Signed", "SMB", "", ""),
        stage_map=("Verbal Commit=late", "Enterprise: Evaluation=middle", "Signed=won"),
    )
    placed = [
        (o.record.values["stage_group"], o.record.values["status"], o.record.placement.basis,
         o.record.placement.known)
        for o in outcomes if o.record
    ]  # fmt: skip
    assert placed == [
        ("late", "open", "map", True),
        ("middle", "open", "map", True),
        (None, "open", "default", False),
        ("late", "open", "forecast", True),
        ("middle", "open", "probability", False),
        (None, "open", "default", False),
        (None, "won", "map", True),
    ]


def test_the_stage_entry_date_comes_from_hubspots_date_entered_columns() -> None:
    header = (
        "Record ID",
        "Deal Stage",
        "Pipeline",
        'Date entered "Verbal Commit (Enterprise)"',
        'Date entered "Verbal Commit (SMB)"',
        "Date entered Qualified To Buy",
    )
    outcomes = parse(
        header,
        ("1", "Verbal Commit", "Enterprise", "2026-08-01 10:00", "2026-09-01", ""),
        ("2", "Verbal Commit", "SMB", "", "2026-09-01 11:00", ""),
        ("3", "qualifiedtobuy", "SMB", "", "", "2026-10-05"),
        ("4", "Verbal Commit", "Other", "2026-08-01", "", ""),
    )
    entered = [o.record.values.get("stage_entered_on") for o in outcomes if o.record]
    assert entered == [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 5), None]


def test_a_report_total_row_is_skipped_not_rejected() -> None:
    header = ("Opportunity Owner", "Opportunity ID", "Stage", "Amount")
    outcomes = parse(
        header,
        ("Ann", "1", "Proposal", "100"),
        ("Grand Totals (1 record)", "", "", "100"),
        ("Total Gym", "2", "Proposal", "100"),
    )
    assert [(o.total_row, bool(o.record)) for o in outcomes] == [
        (False, True),
        (True, False),
        (False, True),
    ]


def test_without_an_id_column_deals_get_a_stable_key() -> None:
    header = ("Opportunity Name", "Account Name", "Stage", "Created Date", "Opportunity Owner")
    first, renamed, same = parse(
        header,
        ("Acme - 50 seats", "Acme", "Proposal", "1/5/2027", "Ann Lee"),
        ("Acme - 60 seats", "Acme", "Proposal", "1/5/2027", "Ann Lee"),
        ("ACME - 50 seats ", "acme", "Negotiation", "2027-01-05", "ann lee"),
    )
    assert first.identity and first.identity.startswith(KEY_PREFIX)
    assert first.identity != renamed.identity
    assert first.identity == same.identity
    assert first.record is not None and first.record.crm_id == first.identity


def test_a_status_column_wins_over_the_stage() -> None:
    header = ("id", "phase", "state")
    outcomes = parse(
        header,
        ("1", "Contract", "won"),
        ("2", "Contract", ""),
        options=("id=crm_id", "phase=stage", "state=status"),
    )
    assert [record.values["status"] for record in records(outcomes)] == ["won", "open"]


def test_values_longer_than_their_column_are_rejected() -> None:
    (outcome,) = parse(SAMPLE_HEADER, ("x" * 301, "A1", "Ann", "Won", "GTXPro", "", "1", ""))
    assert outcome.reasons == ["account: 301 characters, the limit is 300"]


def test_a_shift_moves_every_date_by_one_offset() -> None:
    (deal,) = records(
        parse(
            SAMPLE_HEADER,
            ("Silis", "A1", "Ann", "Won", "GTXPro", "2017-12-31", "1", "2017-01-01"),
            shift=dt.timedelta(days=10),
        )
    )
    assert (deal.values["close_date"], deal.values["created_on"]) == (
        dt.date(2018, 1, 10),
        dt.date(2017, 1, 11),
    )
