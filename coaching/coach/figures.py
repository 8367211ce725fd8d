"""How money reads in the coach's replies (the same form as the bot's messages)."""

from __future__ import annotations

from decimal import Decimal

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: Decimal, currency: str) -> str:
    """$84,000; 120,000 CHF for a currency without a symbol here."""
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    figure = f"{amount:,.0f}"
    return f"{symbol}{figure}" if symbol else f"{figure} {currency.upper()}"
