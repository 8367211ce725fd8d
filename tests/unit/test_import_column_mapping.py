"""Presets, layout detection and --map overrides."""

from __future__ import annotations

import pytest

from storage.importers.column_mapping import map_columns, parse_map_options
from storage.importers.errors import ImportAborted
from storage.importers.presets import DEAL_FIELDS, PRESETS

SALESFORCE_HEADER = (
    "Opportunity Owner",
    "Owner Email",
    "Account Name",
    "Opportunity Name",
    "Opportunity ID",
    "Stage",
    "Amount",
    "Opportunity Currency",
    "Probability (%)",
    "Close Date",
    "Created Date",
    "Last Activity",
    "Last Stage Change Date",
    "Next Step",
    "Loss Reason",
    "Description",
)
HUBSPOT_HEADER = (
    "Record ID",
    "Deal Name",
    "Deal Stage",
    "Close Date",
    "Deal owner",
    "Amount",
    "Associated Company",
    "Create Date",
    "Last Activity Date",
    "Deal Description",
    "Closed Lost Reason",
    "Currency",
    "Pipeline",
)
CRM_SAMPLE_HEADER = (
    "account",
    "opportunity_id",
    "sales_agent",
    "deal_stage",
    "product",
    "close_date",
    "close_value",
    "created_on",
)


@pytest.mark.parametrize(
    ("header", "preset"),
    [
        (SALESFORCE_HEADER, "salesforce"),
        (HUBSPOT_HEADER, "hubspot"),
        (CRM_SAMPLE_HEADER, "crm-sample"),
        (tuple(name.upper() for name in CRM_SAMPLE_HEADER), "crm-sample"),
    ],
)
def test_auto_detects_the_layout(header: tuple[str, ...], preset: str) -> None:
    mapping = map_columns(header, "auto", {})
    assert mapping.preset.name == preset
    assert mapping.detected


def test_salesforce_columns() -> None:
    mapping = map_columns(SALESFORCE_HEADER, "auto", {})
    assert {field: mapping.column_name(field) for field in mapping.columns} == {
        "owner": "Opportunity Owner",
        "owner_email": "Owner Email",
        "account": "Account Name",
        "name": "Opportunity Name",
        "crm_id": "Opportunity ID",
        "stage": "Stage",
        "amount": "Amount",
        "currency": "Opportunity Currency",
        "close_date": "Close Date",
        "created_on": "Created Date",
        "last_activity_on": "Last Activity",
        "stage_entered_on": "Last Stage Change Date",
        "loss_reason": "Loss Reason",
        "description": "Description",
        "probability": "Probability (%)",
        "next_step": "Next Step",
    }
    assert mapping.ignored == ()
    assert mapping.identity == "crm_id" and mapping.key_fields == ()


def test_hubspot_and_crm_sample_columns() -> None:
    hubspot = map_columns(HUBSPOT_HEADER, "hubspot", {})
    assert hubspot.column_name("crm_id") == "Record ID"
    assert hubspot.column_name("description") == "Deal Description"
    assert hubspot.column_name("loss_reason") == "Closed Lost Reason"
    assert not hubspot.detected
    sample = map_columns(CRM_SAMPLE_HEADER, "crm-sample", {})
    assert sample.column_name("owner") == "sales_agent"
    assert sample.column_name("amount") == "close_value"
    assert sample.ignored == ()


def test_no_preset_fills_the_shareable_summary() -> None:
    assert all("shared_summary" not in preset.columns for preset in PRESETS.values())
    assert "shared_summary" not in map_columns(SALESFORCE_HEADER, "auto", {}).columns


def test_an_unknown_layout_says_how_to_map_it() -> None:
    with pytest.raises(ImportAborted) as caught:
        map_columns(("Deal Number", "Phase", "Value"), "auto", {})
    message = str(caught.value)
    assert "cannot tell which CRM exported this file" in message
    assert "'Deal Number', 'Phase', 'Value'" in message
    assert "--preset" in message and "--map" in message


def test_map_alone_describes_a_custom_layout() -> None:
    overrides = parse_map_options(["Deal Number=crm_id", "Phase=stage", "Value=amount"])
    mapping = map_columns(("Deal Number", "Phase", "Value"), "auto", overrides)
    assert mapping.preset.name == "custom"
    assert dict(mapping.columns) == {"crm_id": 0, "stage": 1, "amount": 2}


def test_map_overrides_and_adds_to_a_preset() -> None:
    overrides = parse_map_options(
        ["Next Step=shared_summary", "Description=ignore", "Probability (%)=ignore"]
    )
    mapping = map_columns(SALESFORCE_HEADER, "salesforce", overrides)
    assert mapping.column_name("shared_summary") == "Next Step"
    assert "description" not in mapping.columns
    assert "Description" in mapping.ignored


def test_a_mapped_column_feeds_only_its_new_field() -> None:
    overrides = parse_map_options(["Opportunity Name=account"])
    mapping = map_columns(SALESFORCE_HEADER, "salesforce", overrides)
    assert mapping.column_name("account") == "Opportunity Name"
    assert "name" not in mapping.columns


def test_an_unknown_target_field_lists_the_valid_fields() -> None:
    with pytest.raises(ImportAborted) as caught:
        parse_map_options(["Deal Number=deal_id"])
    message = str(caught.value)
    assert "'deal_id' is not a field" in message
    for field in DEAL_FIELDS:
        assert f"  {field}: " in message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["crm_id"], 'write it as "Source Column=field"'),
        (["=crm_id"], 'write it as "Source Column=field"'),
        (["A=crm_id", "B=crm_id"], "gives crm_id more than one column"),
    ],
)
def test_malformed_map_options(options: list[str], message: str) -> None:
    with pytest.raises(ImportAborted, match=message):
        parse_map_options(options)


def test_a_map_naming_a_missing_column() -> None:
    with pytest.raises(ImportAborted, match="the file has no column 'Deal Nr'; its columns are"):
        map_columns(SALESFORCE_HEADER, "auto", {"Deal Nr": "crm_id"})


def test_missing_required_columns_name_the_expected_headers() -> None:
    header = tuple(name for name in SALESFORCE_HEADER if name != "Stage")
    with pytest.raises(ImportAborted) as caught:
        map_columns(header, "salesforce", {})
    message = str(caught.value)
    assert "no column for stage (the salesforce layout takes stage from 'Stage')" in message
    assert '--map "Your Column=stage"' in message


def test_without_an_id_column_a_stable_key_needs_a_name_and_a_created_date() -> None:
    header = tuple(name for name in SALESFORCE_HEADER if name != "Opportunity ID")
    mapping = map_columns(header, "auto", {})
    assert mapping.preset.name == "salesforce"
    assert mapping.identity == "key"
    assert mapping.key_fields == ("name", "account", "created_on", "owner", "owner_email")

    bare = tuple(name for name in header if name != "Created Date")
    with pytest.raises(ImportAborted) as caught:
        map_columns(bare, "auto", {})
    message = str(caught.value)
    assert "no id column for its deals: add 'Opportunity ID' to the export" in message
    assert "or include 'Opportunity Name' and 'Created Date'" in message


def test_hubspot_date_entered_columns_are_found_by_stage_and_pipeline() -> None:
    header = (
        "Record ID",
        "Deal Stage",
        "Pipeline",
        'Date entered "Verbal Commit (Enterprise)"',
        "Date entered Appointment Scheduled",
        "Date entered current stage",
        "Date exited Appointment Scheduled",
    )
    mapping = map_columns(header, "auto", {})
    assert mapping.preset.name == "hubspot"
    assert mapping.column_name("stage_entered_on") == "Date entered current stage"
    assert mapping.entered_column("Verbal Commit", "Enterprise") == 3
    assert mapping.entered_column("verbal commit", "SMB") is None
    assert mapping.entered_column("Appointment Scheduled", "Enterprise") == 4
    assert mapping.ignored == ("Date exited Appointment Scheduled",)


def test_unknown_preset() -> None:
    with pytest.raises(ImportAborted, match="unknown preset 'pipedrive': choose one of auto"):
        map_columns(SALESFORCE_HEADER, "pipedrive", {})


def test_a_mapped_column_that_appears_twice_is_refused() -> None:
    with pytest.raises(ImportAborted, match=r"'Stage' \(for stage\) appears more than once"):
        map_columns(("Opportunity ID", "Stage", "stage"), "salesforce", {})
