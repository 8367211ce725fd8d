"""Find the deal a rep means from a few words they typed (exactly, else fuzzily)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from coaching.model import DealFacts

CLOSE_ENOUGH = 80.0  # fuzzy score (0-100) for a deal to be offered at all
CLEAR_LEAD = 8.0  # the best must beat the next by this much to be taken without asking
OPTIONS_SHOWN = 5


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


@dataclass(frozen=True, slots=True)
class DealChoice:
    """The deal `query` names (`deal`), or the deals to choose from (`options`: several
    match, or none does and these come closest)."""

    deal: DealFacts | None
    options: tuple[DealFacts, ...] = ()


def resolve_deal(query: str, deals: list[DealFacts]) -> DealChoice:
    """`match_deals` first; else a fuzzy match on names and accounts ("nortwind")."""
    exact = match_deals(query, deals)
    if len(exact) == 1:
        return DealChoice(exact[0])
    if exact:
        return DealChoice(None, tuple(exact))
    wanted = _words(query)
    if not wanted:
        return DealChoice(None)
    scored = sorted(
        ((_closeness(wanted, deal), index) for index, deal in enumerate(deals)),
        key=lambda item: (-item[0], item[1]),
    )
    close = [(score, deals[index]) for score, index in scored if score >= CLOSE_ENOUGH]
    if close and (len(close) == 1 or close[0][0] - close[1][0] >= CLEAR_LEAD):
        return DealChoice(close[0][1])
    return DealChoice(None, tuple(deal for _, deal in close[:OPTIONS_SHOWN]))


def _closeness(wanted: str, deal: DealFacts) -> float:
    """How well the typed words fit the deal's name or account (0-100)."""
    names = [_words(deal.name), _words(deal.account or "")]
    return max(
        max(fuzz.token_set_ratio(wanted, name), fuzz.partial_ratio(wanted, name))
        for name in names
        if name
    )
