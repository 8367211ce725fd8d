"""The deal fields an import can fill, and the column layouts of known CRM exports.

A preset names, for each field, the header names that export uses (compared by
`values.fold`, so case, spaces and underscores do not matter). HubSpot's
"Date entered <stage>" columns are found whatever the layout (see column_mapping). No preset fills
`shared_summary`: text reaches a champion only from a column the user maps to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEAL_FIELDS: Mapping[str, str] = {
    "crm_id": "the deal's id in the CRM (without one, deals match by a stable key)",
    "name": "deal name (built from account and product when missing)",
    "account": "the buying company",
    "product": "product or product line",
    "amount": "deal value",
    "currency": "ISO code such as USD (default: --currency)",
    "stage": "pipeline stage (required)",
    "status": "open, won or lost (default: from the stage)",
    "pipeline": "the pipeline (sales process) the deal is in",
    "forecast_category": "Pipeline, Best Case, Commit...: a Commit deal counts as late",
    "probability": "win probability, such as 90% or 0.9",
    "close_date": "expected or actual close date",
    "owner": "the rep: a name or an email",
    "owner_email": "the rep's email",
    "created_on": "when the deal was created",
    "stage_entered_on": "when the deal entered its current stage",
    "last_activity_on": "date of the last logged activity",
    "loss_reason": "why a lost deal was lost",
    "next_step": "the next step as the CRM records it (internal)",
    "next_step_on": "the date of that next step",
    "deal_type": "New Business, Renewal, Upsell...",
    "lead_source": "where the deal came from",
    "description": "internal notes (never shared with a champion)",
    "shared_summary": "text a champion may see (only by an explicit --map)",
}
REQUIRED_FIELDS = ("stage",)
KEY_FIELDS = ("name", "account", "created_on", "owner", "owner_email")
"""What a stable key is built from when a file has no id column (name and created_on needed)."""


@dataclass(frozen=True)
class Preset:
    """One CRM export layout: header names per field, and how it names its stages."""

    name: str
    title: str
    columns: Mapping[str, tuple[str, ...]]
    stage_labels: Mapping[str, str] = field(default_factory=dict)
    only_known_stages: bool = False


SALESFORCE = Preset(
    name="salesforce",
    title="Salesforce opportunity report",
    columns={
        "crm_id": ("Opportunity ID", "Opportunity ID (18)", "Opportunity ID 18"),
        "name": ("Opportunity Name",),
        "account": ("Account Name", "Account"),
        "product": ("Product Name", "Primary Product", "Product"),
        "amount": ("Amount",),
        "currency": ("Opportunity Currency", "Currency", "Amount Currency"),
        "stage": ("Stage",),
        "close_date": ("Close Date",),
        "owner": ("Opportunity Owner", "Owner Name", "Owner Full Name"),
        "owner_email": ("Owner Email", "Opportunity Owner: Email", "Opportunity Owner Email"),
        "created_on": ("Created Date",),
        "stage_entered_on": ("Last Stage Change Date", "Stage Change Date"),
        "last_activity_on": ("Last Activity", "Last Activity Date"),
        "loss_reason": ("Loss Reason", "Closed Lost Reason", "Reason Lost"),
        "description": ("Description",),
        "pipeline": ("Pipeline", "Opportunity Record Type", "Record Type"),
        "forecast_category": ("Forecast Category",),
        "probability": ("Probability (%)", "Probability"),
        "next_step": ("Next Step",),
        "next_step_on": ("Next Step Date",),
        "deal_type": ("Type", "Opportunity Type"),
        "lead_source": ("Lead Source",),
    },
)

HUBSPOT = Preset(
    name="hubspot",
    title="HubSpot deals export",
    columns={
        "crm_id": ("Record ID", "Deal ID", "hs_object_id"),
        "name": ("Deal Name", "dealname"),
        "account": ("Associated Company", "Associated Company (Primary)", "Company name"),
        "product": ("Product", "Deal Product"),
        "amount": ("Amount",),
        "currency": ("Currency", "Deal Currency Code", "deal_currency_code"),
        "stage": ("Deal Stage", "dealstage"),
        "close_date": ("Close Date", "closedate"),
        "owner": ("Deal owner",),
        "owner_email": ("Deal owner email", "Owner email"),
        "created_on": ("Create Date", "createdate"),
        "stage_entered_on": ("Date entered current stage", "Last Stage Change Date"),
        "last_activity_on": ("Last Activity Date", "notes_last_updated"),
        "loss_reason": ("Closed Lost Reason", "closed_lost_reason"),
        "description": ("Deal Description", "description"),
        "pipeline": ("Pipeline", "pipeline"),
        "forecast_category": ("Forecast category", "hs_forecast_category"),
        "probability": ("Deal probability", "Forecast probability", "hs_deal_stage_probability"),
        "next_step": ("Next step", "hs_next_step"),
        "next_step_on": ("Next activity date", "notes_next_activity_date"),
        "deal_type": ("Deal Type", "dealtype"),
        "lead_source": ("Lead Source", "Original Source Type", "Original Traffic Source"),
    },
    stage_labels={
        "appointmentscheduled": "Appointment Scheduled",
        "qualifiedtobuy": "Qualified To Buy",
        "presentationscheduled": "Presentation Scheduled",
        "decisionmakerboughtin": "Decision Maker Bought-In",
        "contractsent": "Contract Sent",
        "closedwon": "Closed Won",
        "closedlost": "Closed Lost",
    },
)

CRM_SAMPLE = Preset(
    name="crm-sample",
    title="CRM sample pipeline (sales_pipeline.csv)",
    columns={
        "crm_id": ("opportunity_id",),
        "account": ("account",),
        "owner": ("sales_agent",),
        "stage": ("deal_stage",),
        "product": ("product",),
        "close_date": ("close_date",),
        "amount": ("close_value",),
        "created_on": ("created_on",),
    },
    stage_labels={
        "prospecting": "Prospecting",
        "engaging": "Engaging",
        "inprogress": "In Progress",
        "won": "Won",
        "lost": "Lost",
    },
    only_known_stages=True,
)

PRESETS: Mapping[str, Preset] = {
    preset.name: preset for preset in (SALESFORCE, HUBSPOT, CRM_SAMPLE)
}
CUSTOM = Preset(name="custom", title="your --map columns only", columns={})
