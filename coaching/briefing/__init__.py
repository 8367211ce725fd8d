"""Champion briefings: the shareable view, the seller profile, the writers, the leak
guard, the documents.

Only `build_shareable_view` reads a deal's data for a briefing, and it copies only
what is marked shareable; the guard then checks whatever was written against the
deal's internal values.
"""

from coaching.briefing.content import SECTIONS, BriefingContent, SectionKey
from coaching.briefing.deterministic import DeterministicWriter, headings
from coaching.briefing.drafting import (
    BriefingWriter,
    Draft,
    WriterUnavailable,
    check_briefing,
    write_briefing,
)
from coaching.briefing.guard import InternalText, InternalValues, Leak, internal_values
from coaching.briefing.render import render_html, render_markdown
from coaching.briefing.seller import SellerProfile, SellerProfileError, load_seller_profile
from coaching.briefing.view import RiskKind, ShareableDeal, StakeholderFacts, build_shareable_view

__all__ = [
    "SECTIONS",
    "BriefingContent",
    "BriefingWriter",
    "DeterministicWriter",
    "Draft",
    "InternalText",
    "InternalValues",
    "Leak",
    "RiskKind",
    "SectionKey",
    "SellerProfile",
    "SellerProfileError",
    "ShareableDeal",
    "StakeholderFacts",
    "WriterUnavailable",
    "build_shareable_view",
    "check_briefing",
    "headings",
    "internal_values",
    "load_seller_profile",
    "render_html",
    "render_markdown",
    "write_briefing",
]
