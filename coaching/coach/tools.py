"""The read-only tools a model may call to answer someone's question about deals: the
asker's own scope only (a rep's deals, a manager's team's), as plain text.

Every text a tool returns is kept in `outputs`, so the reply can be checked against
what the tools said (coaching/coach/grounding.py `ungrounded`). Deals are named the
way people name them ("northwind", "DEMO-002"); a name outside the scope is "not
found", exactly like a name that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from coaching.coach.attendees import find_attendee
from coaching.coach.deal_view import DealView
from coaching.coach.intents import IntentBook, deal_words
from coaching.coach.kit import CoachKit
from coaching.coach.managers import compose_one_on_one, compose_rep_summary, compose_slipping
from coaching.coach.prep import compose_prep
from coaching.coach.respond import Asker, Scope
from coaching.coach.review import compose_pipeline, compose_review
from coaching.matching import resolve_deal


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool as the model sees it: its name, what it does, its string parameters."""

    name: str
    description: str
    parameters: dict[str, str]  # name -> description (every parameter is a string)
    managers_only: bool = False


TOOL_SPECS = (
    ToolSpec("list_deals", "The open deals you may ask about, at risk first.", {}),
    ToolSpec(
        "deal_facts",
        "One deal's facts: amount, stage, dates, owner and the buyer's people.",
        {"deal": "the deal's name, account or id"},
    ),
    ToolSpec(
        "deal_risks",
        "One deal's risks, most severe first, each with its reason.",
        {"deal": "the deal's name, account or id"},
    ),
    ToolSpec(
        "answer_history",
        "One deal's qualification answers: what is known, how old, what is missing.",
        {"deal": "the deal's name, account or id"},
    ),
    ToolSpec(
        "deal_coaching",
        "The playbook's review of one deal: risks, unknowns, next best actions with words.",
        {"deal": "the deal's name, account or id"},
    ),
    ToolSpec(
        "meeting_prep",
        "The playbook's prep for a meeting on one deal with one person or role.",
        {"deal": "the deal's name, account or id", "who": "a person's name or a role"},
    ),
    ToolSpec("pipeline", "All open deals in scope, at risk first, with totals.", {}),
    ToolSpec(
        "rep_summary",
        "How one rep of the team is doing: pipeline, deals at risk, check-ins.",
        {"rep": "the rep's name"},
        managers_only=True,
    ),
    ToolSpec(
        "one_on_one",
        "Questions for a 1:1 with one rep, about each of their deals at risk.",
        {"rep": "the rep's name"},
        managers_only=True,
    ),
    ToolSpec(
        "slipping",
        "The team's deals due this quarter that may slip, with why.",
        {},
        managers_only=True,
    ),
)


@dataclass
class CoachTools:
    """The tools over one asker's scope; `outputs` is everything they returned."""

    asker: Asker
    scope: Scope
    kit: CoachKit
    intents: IntentBook
    today: dt.date
    outputs: list[str] = field(default_factory=list)

    @property
    def specs(self) -> tuple[ToolSpec, ...]:
        return tuple(spec for spec in TOOL_SPECS if self.asker.is_manager or not spec.managers_only)

    def call(self, name: str, arguments: dict[str, object]) -> str:
        """Run tool `name`; an unknown tool or a bad argument is a text the model reads."""
        spec = next((spec for spec in self.specs if spec.name == name), None)
        if spec is None:
            text = f"No tool {name!r}. Tools: {', '.join(spec.name for spec in self.specs)}."
        else:
            args = {key: str(arguments.get(key) or "") for key in spec.parameters}
            text = self._run(name, args)
        self.outputs.append(text)
        return text

    def _run(self, name: str, args: dict[str, str]) -> str:
        kit, views = self.kit, self.scope.views
        if name in ("list_deals", "pipeline"):
            return compose_pipeline(views, kit, show_owner=self.asker.is_manager).text()
        if name == "slipping":
            return compose_slipping(views, kit, self.today).text()
        if name in ("rep_summary", "one_on_one"):
            return self._rep(args["rep"], name)
        found = self._deal(args.get("deal", ""))
        if isinstance(found, str):
            return found
        on_deal: dict[str, Callable[[DealView], str]] = {
            "deal_facts": _facts,
            "deal_risks": self._risks,
            "answer_history": _answers,
            "deal_coaching": lambda view: compose_review(view, kit, show_owner=True).text(),
            "meeting_prep": lambda view: compose_prep(
                view, kit, find_attendee(view, args.get("who"), kit.roles)
            ).text(),
        }
        return on_deal[name](found)

    def _deal(self, words: str) -> DealView | str:
        query = deal_words(words, self.intents)
        choice = resolve_deal(query, [view.deal for view in self.scope.views]) if query else None
        if choice is not None and choice.deal is not None:
            return next(view for view in self.scope.views if view.deal.id == choice.deal.id)
        if choice is not None and choice.options:
            names = "; ".join(
                f"{deal.name} ({deal.account}, id {deal.crm_id})" for deal in choice.options
            )
            return f"Several deals match {words!r}: {names}. Ask which one."
        return f"No open deal matching {words!r} is in your scope. Call list_deals."

    def _rep(self, who: str, name: str) -> str:
        wanted = who.strip().lower()
        rep = next(
            (
                (rep_id, rep_name)
                for rep_id, rep_name in self.scope.reps
                if wanted in (rep_name.lower(), rep_name.lower().split()[0])
            ),
            None,
        )
        if rep is None:
            team = ", ".join(rep_name for _, rep_name in self.scope.reps)
            return f"{who!r} is not in your team. Your team: {team}."
        views = self.scope.of_rep(rep[0])
        if name == "one_on_one":
            return compose_one_on_one(views, self.kit).text()
        stats = self.scope.checkins.get(rep[0])
        return compose_rep_summary(views, self.kit, checkins=stats).text()

    def _risks(self, view: DealView) -> str:
        if not view.findings:
            return f"{view.deal.name}: no risk rule fires today."
        lines = [
            f"- {self.kit.severity(finding.severity)} · {self.kit.risk_label(finding.rule)}: "
            f"{finding.reason}"
            for finding in view.findings
        ]
        return "\n".join([f"{view.deal.name}: risks, most severe first", *lines])


def _facts(view: DealView) -> str:
    sources = {
        "name": "deal.name",
        "account": "deal.account",
        "id": "deal.crm_id",
        "owner": "deal.owner",
        "amount": "deal.amount",
        "stage": "deal.stage",
        "days in stage": "deal.days_in_stage",
        "close date": "deal.close_date",
        "days to close": "deal.days_to_close",
        "paused until": "deal.paused_until",
        "pause reason": "deal.pause_reason",
        "today": "today",
    }
    lines = []
    for label, source in sources.items():
        fact = view.cite(source)
        if fact is not None:
            lines.append(f"{label}: {fact.shown}")
    for person in view.stakeholders:
        parts = [person.name, person.title, person.role]
        exposure = f"exposure {person.exposure} of 5" if person.exposure is not None else None
        lines.append("buyer person: " + ", ".join(part for part in (*parts, exposure) if part))
    return "\n".join(lines)


def _answers(view: DealView) -> str:
    lines = [f"{view.deal.name}: qualification answers"]
    for item in view.card.lines:
        if item.answer is None:
            lines.append(f"- {item.spec.label}: never answered")
            continue
        age = f", {item.age_days} days old" if item.age_days is not None else ""
        lines.append(f"- {item.spec.label}: {item.display} ({item.status}{age})")
    return "\n".join(lines)
