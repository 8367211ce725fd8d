"""Neutral messages for deals and qualification cards."""

from __future__ import annotations

import datetime as dt

from bot.engine import formatting
from bot.engine.messages import Facts, Heading, Message, Paragraph
from bot.engine.replies import say
from coaching.qualification import CardLine, QualificationCard

DEALS_SHOWN = 15


def deals_message(cards: list[QualificationCard], today: dt.date) -> Message:
    """The rep's open deals, one line each with coverage and the first gaps; a paused
    deal says until when and why."""
    if not cards:
        return Message.text(say("no_open_deals"))
    heading = say("deals_heading", count=len(cards))
    lines = [deal_line(card, today) for card in cards[:DEALS_SHOWN]]
    if len(cards) > DEALS_SHOWN:
        lines.append(say("deals_more", count=len(cards) - DEALS_SHOWN))
    return Message(
        summary=heading,
        blocks=(Heading(text=heading), *(Paragraph(text=line) for line in lines)),
    )


def deal_line(card: QualificationCard, today: dt.date | None = None) -> str:
    """One deal in a line: stage, amount, close date, coverage and the first gaps; with
    `today`, whether it is paused."""
    deal = card.deal
    gaps = [line.spec.label for line in card.gaps][:3]
    paused = today is not None and deal.is_paused(today)
    line = say(
        "deals_line",
        name=deal.name,
        stage=deal.stage,
        amount=formatting.money(deal.amount, deal.currency),
        close=formatting.day(deal.close_date),
        coverage=formatting.percent(card.coverage),
        gaps=say("deals_gaps", fields=", ".join(gaps).lower()) if gaps else "",
    )
    if paused:
        line += say(
            "deals_paused", until=formatting.day(deal.paused_until), reason=deal.pause_reason
        )
    return line


def card_message(card: QualificationCard) -> Message:
    """One deal's qualification card: each field known, stale, unsure or missing."""
    deal = card.deal
    summary = say(
        "card_summary",
        account=deal.account or "no account",
        stage=deal.stage,
        amount=formatting.money(deal.amount, deal.currency),
        close=formatting.day(deal.close_date),
    )
    blocks: list = [Heading(text=say("card_heading", name=deal.name)), Paragraph(text=summary)]
    if deal.paused_until:
        blocks.append(
            Paragraph(text=say("card_paused", until=deal.paused_until, reason=deal.pause_reason))
        )
    rows = tuple((line.spec.label, _card_value(card, line)) for line in card.lines)
    blocks.append(Facts(rows=rows))
    relevant = [line for line in card.lines if line.status != "waiting"]
    known = sum(1 for line in relevant if line.status == "known")
    blocks.append(
        Paragraph(text=say("card_footer", known=known, total=len(relevant), gaps=len(card.gaps)))
    )
    return Message(summary=f"{deal.name}: {summary}", blocks=tuple(blocks))


def _card_value(card: QualificationCard, line: CardLine) -> str:
    when = formatting.age(line.age_days)
    if line.status == "known":
        return say("card_known", value=line.display, age=when)
    if line.status == "unsure":
        return say("card_unsure", age=when)
    if line.status == "stale":
        return say("card_stale", value=line.display, age=when)
    if line.status == "waiting":
        required = card.line(line.spec.requires or "").spec.label.lower()
        return say("card_waiting", requires=required)
    return say("card_missing")
