"""Finding the deal a person means: exact names and ids first, then fuzzily."""

from decimal import Decimal

import pytest

from coaching.matching import resolve_deal
from coaching.model import DealFacts


def deal(id_: int, name: str, account: str | None) -> DealFacts:
    return DealFacts(
        id_, f"C-{id_}", name, account, Decimal(1), "USD", "Prospecting",
        None, None, None, None, None, "open",
    )  # fmt: skip


DEALS = [
    deal(1, "Northwind fleet analytics", "Northwind Traders"),
    deal(2, "Contoso service desk", "Contoso Ltd"),
    deal(3, "Fabrikam warehouse pilot", "Fabrikam Inc"),
    deal(4, "Contoso service desk", "Contoso GmbH"),
    deal(5, "Litware onboarding", None),
]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("northwind", 1),
        ("Nortwind", 1),
        ("northwind fleet", 1),
        ("fabrikm", 3),
        ("warehouse", 3),
        ("C-4", 4),
        ("litware", 5),
        ("litwar onboard", 5),
    ],
)
def test_one_deal_is_found_exactly_or_fuzzily(query: str, found: int) -> None:
    choice = resolve_deal(query, DEALS)
    assert choice.deal is not None and choice.deal.id == found


def test_two_deals_with_one_name_are_offered_as_a_choice() -> None:
    choice = resolve_deal("contoso", DEALS)
    assert choice.deal is None
    assert [deal.crm_id for deal in choice.options] == ["C-2", "C-4"]
    assert resolve_deal("Contoso service desk", DEALS).options == (DEALS[1], DEALS[3])


@pytest.mark.parametrize("query", ["acme", "", "!!"])
def test_nothing_close_is_nothing(query: str) -> None:
    assert resolve_deal(query, DEALS).deal is None
    assert resolve_deal(query, DEALS).options == ()
