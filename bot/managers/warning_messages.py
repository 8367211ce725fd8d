"""Neutral messages for manager warnings: the post, its resolution, the team's list."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import formatting
from bot.engine.messages import Actions, Button, Heading, Message, Paragraph
from bot.engine.replies import say
from coaching.risk import Quote, Wording
from storage.risk import OpenDeal

LISTED = 10
VERDICTS = ("useful", "not_useful", "handled")


@dataclass(frozen=True, slots=True)
class WarningView:
    """One warning with its deal, ready to word."""

    id: int
    rule: str
    severity: int
    reason: str
    action: str
    deal: OpenDeal
    evidence: tuple[Quote, ...] = ()

    def values(self, wording: Wording) -> dict[str, str]:
        facts = self.deal.facts
        return {
            "id": str(self.id),
            "label": wording.label(self.rule),
            "severity": wording.severity(self.severity).capitalize(),
            "deal": facts.name,
            "owner": self.deal.owner,
            "account": facts.account or facts.name,
            "stage": facts.stage,
            "amount": formatting.money(facts.amount, facts.currency),
            "close": formatting.day(facts.close_date),
            "reason": self.reason,
            "action": self.action,
        }


def feedback_buttons(warning_id: int) -> Actions:
    return Actions(
        buttons=tuple(
            Button(
                action="warning_feedback",
                label=say(f"warning_{verdict}"),
                value=f"{warning_id}:{verdict}",
                command=f"feedback {warning_id} {verdict.replace('_', ' ')}",
                style="primary" if verdict == "useful" else "default",
            )
            for verdict in VERDICTS
        )
    )


def warning_message(view: WarningView, wording: Wording, *, escalated: bool = False) -> Message:
    """The post in the manager's channel: what, why, what to do, and feedback buttons."""
    values = view.values(wording)
    heading = "warning_escalated_heading" if escalated else "warning_heading"
    return Message(
        summary=say("warning_summary", **values),
        blocks=(
            Heading(text=say(heading, **values)),
            Paragraph(text=say("warning_context", **values)),
            Paragraph(text=say("warning_reason", **values)),
            Paragraph(text=say("warning_action", **values)),
            feedback_buttons(view.id),
        ),
    )


def deal_warning_message(
    views: list[WarningView],
    wording: Wording,
    *,
    escalated: bool = False,
    resolved: list[str] | None = None,
) -> Message:
    """A deal's one post: every open reason (most severe first) with the words it rests
    on, what to do about the top one, the reasons just resolved, and feedback buttons."""
    top = views[0]
    values = top.values(wording)
    labels = ", ".join(dict.fromkeys(wording.label(view.rule) for view in views))
    heading_key = "deal_warning_escalated_heading" if escalated else "deal_warning_heading"
    blocks: list[Heading | Paragraph | Actions] = [
        Heading(text=say(heading_key, **(values | {"labels": labels}))),
        Paragraph(text=say("warning_context", **values)),
    ]
    for view in views:
        blocks.append(Paragraph(text=say("deal_warning_reason", **view.values(wording))))
    evidence = _evidence_lines(views)
    if evidence:
        blocks.append(Paragraph(text=say("deal_warning_evidence", quotes=evidence)))
    blocks.append(Paragraph(text=say("warning_action", **values)))
    if resolved:
        blocks.append(Paragraph(text=say("deal_warning_resolved", labels=", ".join(resolved))))
    if len(views) > 1:
        blocks.append(Paragraph(text=say("deal_warning_feedback_hint", id=top.id)))
    blocks.append(feedback_buttons(top.id))
    return Message(
        summary=say("deal_warning_summary", **(values | {"labels": labels})), blocks=tuple(blocks)
    )


def _evidence_lines(views: list[WarningView]) -> str:
    """Each quote once: "note of 20 Nov 2026: 'budget frozen until Q2'"."""
    quotes = dict.fromkeys(quote for view in views for quote in view.evidence)
    return "\n".join(
        f"• {quote.source} of {quote.on.isoformat()}: “{quote.quote}”" for quote in quotes
    )


def resolved_message(label: str, deal: str, reason: str) -> Message:
    """What a posted warning becomes once its condition clears."""
    return Message.text(say("warning_resolved", label=label, deal=deal, reason=reason))


def team_warnings_message(views: list[WarningView], wording: Wording, page: int = 1) -> Message:
    """A manager's open warnings, most severe first, `LISTED` a page (`warnings 2`...)."""
    if not views:
        return Message.text(say("warnings_none"))
    pages = -(-len(views) // LISTED)
    page = min(page, pages)
    deals = len({view.deal.facts.id for view in views})
    heading = say("warnings_heading", count=len(views), deals=deals)
    if pages > 1:
        heading += say("warnings_page", page=page, pages=pages)
    shown = views[(page - 1) * LISTED : page * LISTED]
    lines = [say("warnings_line", **view.values(wording)) for view in shown]
    rest = len(views) - page * LISTED
    if rest > 0:
        lines.append(say("warnings_more", count=rest, next=page + 1))
    lines.append(say("warnings_feedback_hint"))
    return Message(
        summary=heading, blocks=(Heading(text=heading), *(Paragraph(text=line) for line in lines))
    )
