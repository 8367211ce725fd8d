"""The weekly digest as one neutral message: console text, Block Kit and Adaptive Cards
all come from these blocks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.engine import formatting
from bot.engine.messages import Block, Facts, Heading, Image, Message, Paragraph
from bot.engine.replies import say

RISK_LABELS = 2  # warnings named on a deal's line (most severe first); the rest are counted
COVERAGE = ("tested_champion", "exposure_3_plus", "dated_next_step", "money_confirmed")


def digest_message(figures: dict[str, Any], chart: Image | None = None) -> Message:
    """The digest; `chart` (bot/managers/digest_chart.py) comes after the team's size."""
    team, risk = figures["team"], figures["at_risk"]
    blocks: list[Block] = [
        Heading(
            text=say("digest_heading", manager=figures["manager"], period=figures["period_start"])
        ),
        Paragraph(
            text=say(
                "digest_team", reps=team["reps"], open_deals=counted("deals", team["open_deals"])
            )
        ),
        *([chart] if chart else []),
        *_pipeline(figures),
        *_velocity(figures["velocity"]),
        *_coverage(figures["coverage"]),
        *_at_risk(risk),
        *_blockers(figures["blockers"]),
        *_checkins(figures["unanswered_checkins"]),
        *_precision(figures["precision"]),
    ]
    summary = say(
        "digest_summary",
        manager=figures["manager"],
        at_risk=risk["deals"],
        open_deals=team["open_deals"],
    )
    return Message(summary=summary, blocks=tuple(blocks))


def counted(noun: str, count: int) -> str:
    """'1 deal', '3 deals' (the words live in replies_digest.yaml)."""
    return say(f"digest_{noun}_{'one' if count == 1 else 'many'}", count=count)


def amounts(totals: dict[str, float]) -> str:
    if not totals:
        return say("digest_amount_unknown")
    return " + ".join(
        formatting.money(Decimal(str(total)), currency) for currency, total in totals.items()
    )


def _pipeline(figures: dict[str, Any]) -> list[Block]:
    stages = figures["pipeline_by_stage"]
    if not stages:
        return [Heading(text=say("digest_stage_heading")), Paragraph(text=say("digest_no_deals"))]
    phases = figures["pipeline_by_phase"]
    return [
        Heading(text=say("digest_stage_heading")),
        Facts(rows=tuple((row["stage"], _pipeline_row(row)) for row in stages)),
        Heading(text=say("digest_phase_heading")),
        Facts(
            rows=tuple(
                (row["label"] or say("digest_phase_not_asked"), _pipeline_row(row))
                for row in phases
            )
        ),
    ]


def _pipeline_row(row: dict[str, Any]) -> str:
    return say(
        "digest_pipeline_row", deals=counted("deals", row["deals"]), amount=amounts(row["amounts"])
    )


def _velocity(velocity: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(text=say("digest_velocity_heading"))]
    if velocity["per_day"] is None:
        blocks.append(
            Paragraph(
                text=say(
                    "digest_velocity_missing",
                    history_days=velocity["history_days"],
                    closed=velocity["closed_deals"],
                    won=velocity["won_deals"],
                )
            )
        )
        return blocks
    currency = velocity["currency"]
    blocks.append(
        Paragraph(
            text=say(
                "digest_velocity",
                per_day=_money(velocity["per_day"], currency),
                open_deals=velocity["open_deals"],
                win_rate=formatting.percent(velocity["win_rate"]),
                average_won=_money(velocity["average_won"], currency),
                cycle=f"{velocity['median_cycle_days']:g}",
                currency=currency,
                history_days=velocity["history_days"],
            )
        )
    )
    change = velocity["change"]
    if change is None:
        blocks.append(Paragraph(text=say("digest_velocity_first")))
    else:
        direction = say("digest_velocity_up" if change >= 0 else "digest_velocity_down")
        blocks.append(
            Paragraph(
                text=say(
                    "digest_velocity_change",
                    direction=direction,
                    change=formatting.percent(abs(change)),
                    previous=_money(velocity["previous_per_day"], currency),
                )
            )
        )
    return blocks


def _money(value: float, currency: str) -> str:
    return formatting.money(Decimal(str(round(value, 2))), currency)


def _coverage(coverage: dict[str, int]) -> list[Block]:
    total = coverage["late_deals"]
    heading = Heading(text=say("digest_coverage_heading", late_deals=total))
    if not total:
        return [heading, Paragraph(text=say("digest_coverage_none"))]
    rows = tuple(
        (
            say(f"digest_coverage_{key}"),
            say(
                "digest_coverage_row",
                count=coverage[key],
                total=total,
                share=formatting.percent(coverage[key] / total),
            ),
        )
        for key in COVERAGE
    )
    return [heading, Facts(rows=rows)]


def _at_risk(risk: dict[str, Any]) -> list[Block]:
    heading = Heading(
        text=say(
            "digest_risk_heading",
            deals=counted("deals", risk["deals"]),
            warnings=counted("warnings", risk["warnings"]),
        )
    )
    if not risk["deals"]:
        return [heading, Paragraph(text=say("digest_risk_none"))]
    blocks: list[Block] = [heading]
    if risk.get("not_posted"):
        blocks.append(Paragraph(text=say("digest_risk_not_posted", count=risk["not_posted"])))
    for deal in risk["shown"]:
        amount = (
            formatting.money(Decimal(str(deal["amount"])), deal["currency"])
            if deal["amount"] is not None
            else say("digest_amount_unknown")
        )
        labels = [warning["label"] for warning in deal["warnings"]]
        more = len(labels) - RISK_LABELS
        named = ", ".join(labels[:RISK_LABELS])
        blocks.append(
            Paragraph(
                text=say(
                    "digest_risk_deal",
                    severity=say(f"digest_severity_{deal['severity']}"),
                    deal=deal["deal"],
                    owner=deal["owner"],
                    amount=amount,
                    warnings=named + (say("digest_risk_others", count=more) if more > 0 else ""),
                )
            )
        )
    hidden = risk["deals"] - len(risk["shown"])
    if hidden > 0:
        blocks.append(Paragraph(text=say("digest_risk_more", count=hidden)))
    return blocks


def _blockers(blockers: list[dict[str, Any]]) -> list[Block]:
    heading = Heading(text=say("digest_blockers_heading"))
    if not blockers:
        return [heading, Paragraph(text=say("digest_blockers_none"))]
    rows = tuple(
        (row["blocker"], say("digest_blocker_row", deals=counted("deals", row["deals"])))
        for row in blockers
    )
    return [heading, Facts(rows=rows)]


def _checkins(checkins: dict[str, Any]) -> list[Block]:
    heading = Heading(text=say("digest_checkins_heading"))
    reps = checkins["reps"]
    if not checkins["checkins"]:
        return [heading, Paragraph(text=say("digest_checkins_none_sent"))]
    if not reps:
        return [heading, Paragraph(text=say("digest_checkins_none", count=checkins["checkins"]))]
    return [
        heading,
        Facts(rows=tuple((row["rep"], say("digest_checkins_row", **row)) for row in reps)),
    ]


def _precision(rules: list[dict[str, Any]]) -> list[Block]:
    heading = Heading(text=say("digest_precision_heading"))
    if not rules:
        return [heading, Paragraph(text=say("digest_precision_none"))]
    rows = tuple(
        (
            row["label"],
            say(
                "digest_precision_row",
                precision=formatting.percent(row["precision"]),
                useful=row["useful"],
                not_useful=row["not_useful"],
                handled=row["handled"],
            ),
        )
        for row in rules
    )
    return [heading, Facts(rows=rows)]
