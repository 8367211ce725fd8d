"""How numbers, dates and ages read in messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.engine.replies import say

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return "amount unknown"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    figure = f"{amount:,.0f}"
    return f"{symbol}{figure}" if symbol else f"{figure} {currency.upper()}"


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else say("not_set")


def age(days: int | None) -> str:
    if not days:
        return say("age_today")
    if days == 1:
        return say("age_one_day")
    return say("age_days", days=days)


def percent(share: float) -> str:
    return f"{share:.0%}"


def local_moment(moment: dt.datetime, timezone: str) -> str:
    """An instant as a person reads it in their zone: 'Tuesday 24 November, 09:30'."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%A %d %B, %H:%M")
