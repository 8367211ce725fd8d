"""The activity fields an import can fill, and the column layouts of CRM activity exports.

A preset lists, per field, the header names that export uses (compared folded, so case,
spaces and underscores do not matter). Unlike deals, a field may read several columns:
a row takes the first that is not empty. A Salesforce export of Tasks and Events
together leaves the Event columns empty on task rows and the Task columns on event rows;
HubSpot's engagement export has one column per engagement type ("Call notes", "Note
body", "Email subject"...). Column names are the export labels and the API names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ACTIVITY_FIELDS: Mapping[str, str] = {
    "activity_id": "the activity's id in the CRM (without one, a digest of the row is used)",
    "kind": "call, meeting, email, note or task (also Salesforce Task/Event subtypes)",
    "status": "completed or scheduled (Salesforce Completed/Not Started, HubSpot outcomes)",
    "occurred_at": "when it happened or is planned: a date, with a time when known",
    "meeting_start": "a meeting's start: a row with one is a meeting unless its type says else",
    "subject": "subject or title",
    "body": "notes, comments, description or email text (internal)",
    "contact_name": "the buyer-side person: a name",
    "contact_email": "the buyer-side person's email",
    "deal_id": "the deal's CRM id (Salesforce WhatId / Opportunity ID, HubSpot deal id)",
    "deal_name": "the deal's name, when the export has no deal id",
    "account": "the buying company, to link to its deal when there is no deal id",
    "owner": "the rep: a name or an email (picks the deal among the account's)",
    "direction": "inbound/outbound, incoming/sent: who wrote or called whom",
    "outcome": "a call's result (connected, left voicemail...) or a meeting's (no show...)",
}


@dataclass(frozen=True)
class ActivityPreset:
    """One CRM activity export layout: header names per field."""

    name: str
    title: str
    source: str
    """What activities from this layout are keyed by, with their id (salesforce, hubspot...)."""
    columns: Mapping[str, tuple[str, ...]]
    email_direction: str = ""
    """The direction of an email whose row gives none ("sent": the rep's)."""
    kind_hints: Mapping[str, str] = field(default_factory=dict)
    """Columns that only one kind fills: a row with one of them is of that kind."""


SALESFORCE = ActivityPreset(
    name="salesforce",
    title="Salesforce Task and Event export (Data Loader or activity report)",
    source="salesforce",
    columns={
        "activity_id": ("Id", "Activity ID", "Task ID", "Event ID"),
        "kind": (
            "TaskSubtype",
            "EventSubtype",
            "Task Subtype",
            "Event Subtype",
            "Type",
            "Activity Type",
            "Task/Event",
        ),
        "status": ("Status",),
        "meeting_start": ("StartDateTime", "Start", "Start Date Time", "ActivityDateTime"),
        "occurred_at": (
            "CompletedDateTime",
            "Completed Date/Time",
            "Date/Time",
            "ActivityDate",
            "Date",
            "Due Date",
            "CreatedDate",
            "Created Date",
        ),
        "subject": ("Subject",),
        "body": ("Description", "Comments", "Full Comments"),
        "contact_name": ("Contact", "Name", "Who.Name", "Contact Name"),
        "contact_email": ("Who.Email", "Contact Email", "Email"),
        "deal_id": ("WhatId", "Opportunity ID", "Related To ID", "What.Id"),
        "deal_name": ("Opportunity", "Opportunity Name", "What.Name"),
        "account": ("Account", "Account Name", "Company / Account", "Account.Name"),
        "owner": ("Assigned", "Assigned To", "Owner.Name", "Owner Email", "Owner.Email"),
        "direction": ("CallType", "Call Type"),
        "outcome": ("CallDisposition", "Call Result"),
    },
    email_direction="sent",
    kind_hints={"CallDisposition": "call", "Call Result": "call", "CallType": "call"},
)

HUBSPOT = ActivityPreset(
    name="hubspot",
    title="HubSpot engagement export (calls, meetings, emails, notes, tasks)",
    source="hubspot",
    columns={
        "activity_id": ("Record ID", "Engagement ID", "Activity ID", "hs_object_id"),
        "kind": ("Activity type", "Engagement type", "Type", "hs_engagement_type"),
        "status": ("Task status", "hs_task_status", "Call status", "hs_call_status"),
        "meeting_start": ("Meeting start time", "hs_meeting_start_time"),
        "occurred_at": ("Activity date", "hs_timestamp", "Create date", "Created at"),
        "subject": (
            "Call title",
            "hs_call_title",
            "Meeting name",
            "hs_meeting_title",
            "Email subject",
            "hs_email_subject",
            "Task title",
            "hs_task_subject",
            "Subject",
        ),
        "body": (
            "Call notes",
            "hs_call_body",
            "Meeting description",
            "hs_meeting_body",
            "Email text",
            "Email body",
            "hs_email_text",
            "Note body",
            "hs_note_body",
            "Task notes",
            "hs_task_body",
            "Body preview",
            "Body",
        ),
        "contact_name": ("Associated Contact", "Associated Contacts", "Contact name"),
        "contact_email": (
            "Associated Contact Email",
            "Email to address",
            "hs_email_to_email",
            "Email from address",
            "hs_email_from_email",
        ),
        "deal_id": ("Associated Deal IDs", "Associated Deal ID", "Deal ID", "Associated Deals"),
        "deal_name": ("Associated Deal",),
        "account": ("Associated Company", "Associated Companies", "Company name"),
        "owner": ("Activity assigned to", "Assigned to", "Activity owner", "hubspot_owner_id"),
        "direction": (
            "Email direction",
            "hs_email_direction",
            "Call direction",
            "hs_call_direction",
        ),
        "outcome": ("Call outcome", "hs_call_disposition", "Meeting outcome", "hs_meeting_outcome"),
    },
    kind_hints={
        **dict.fromkeys(
            ("Call title", "Call notes", "Call outcome", "Call direction", "hs_call_body"), "call"
        ),
        **dict.fromkeys(("Meeting name", "Meeting outcome", "hs_meeting_title"), "meeting"),
        **dict.fromkeys(
            ("Email subject", "Email text", "Email direction", "hs_email_subject"), "email"
        ),
        **dict.fromkeys(("Note body", "hs_note_body"), "note"),
        **dict.fromkeys(("Task title", "Task status", "hs_task_subject"), "task"),
    },
)

GENERIC = ActivityPreset(
    name="generic",
    title="generic activity log (type, status, date, subject, body, contact, deal_id, account)",
    source="csv",
    columns={name: (name,) for name in ACTIVITY_FIELDS}
    | {
        "kind": ("kind", "type", "activity_type"),
        "occurred_at": ("occurred_at", "date", "datetime", "when"),
        "body": ("body", "notes", "description", "comments"),
        "contact_name": ("contact_name", "contact"),
        "deal_id": ("deal_id", "crm_id", "opportunity_id"),
        "activity_id": ("activity_id", "id"),
    },
)

ACTIVITY_PRESETS: Mapping[str, ActivityPreset] = {
    preset.name: preset for preset in (SALESFORCE, HUBSPOT, GENERIC)
}
CUSTOM = ActivityPreset(name="custom", title="your --map columns only", source="csv", columns={})
