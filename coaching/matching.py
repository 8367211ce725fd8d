"""Find the deal a rep means from a few words they typed."""

from __future__ import annotations

import re

from coaching.model import DealFacts


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def match_deals(query: str, deals: list[DealFacts]) -> list[DealFacts]:
    """Exact name or CRM id first; else every deal whose name or account contains the words."""
    wanted = _words(query)
    if not wanted:
        return []
    exact = [deal for deal in deals if wanted in (_words(deal.name), _words(deal.crm_id))]
    if exact:
        return exact
    return [
        deal
        for deal in deals
        if all(word in _words(f"{deal.name} {deal.account or ''}") for word in wanted.split())
    ]
