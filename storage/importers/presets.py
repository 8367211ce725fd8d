"""The deal fields an import can fill, and the column layouts of known CRM exports.

A preset names, for each field, the header names that export uses (compared by
`values.fold`, so case, spaces and underscores do not matter). No preset fills
`shared_summary`: text reaches a champion only from a column the user maps to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEAL_FIELDS: Mapping[str, str] = {
    "crm_id": "the deal's id in the CRM (required)",
    "name": "deal name (built from account and product when missing)",
    "account": "the buying company",
    "product": "product or product line",
    "amount": "deal value",
    "currency": "ISO code such as USD (default: --currency)",
    "stage": "pipeline stage (required)",
    "status": "open, won or lost (default: from the stage)",
    "close_date": "expected or actual close date",
    "owner": "the rep: a name or an email",
    "owner_email": "the rep's email",
    "created_on": "when the deal was created",
    "stage_entered_on": "when the deal entered its current stage",
    "last_activity_on": "date of the last logged activity",
    "loss_reason": "why a lost deal was lost",
    "description": "internal notes (never shared with a champion)",
    "shared_summary": "text a champion may see (only by an explicit --map)",
}
REQUIRED_FIELDS = ("crm_id", "stage")


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
        "stage_entered_on": ("Last Stage Change Date",),
        "last_activity_on": ("Last Activity", "Last Activity Date"),
        "loss_reason": ("Loss Reason", "Closed Lost Reason", "Reason Lost"),
        "description": ("Description",),
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
        "stage_entered_on": ("Date entered current stage",),
        "last_activity_on": ("Last Activity Date", "notes_last_updated"),
        "loss_reason": ("Closed Lost Reason", "closed_lost_reason"),
        "description": ("Deal Description", "description"),
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
