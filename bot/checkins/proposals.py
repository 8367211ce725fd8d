"""Facts a reply proposed with medium confidence, waiting for the rep's yes / no / edit.

A proposal is kept on the asked question (JSON) until the rep decides: "yes" records
it, "no" drops it and asks again, "edit" asks for the right words. Anything else the
rep types is a fresh reply and the proposal is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from bot.engine.messages import Actions, Button, Message, Paragraph
from bot.engine.replies import say
from coaching.playbook import FieldSpec, Playbook
from coaching.understanding import Person, ProposedFact

Decision = Literal["yes", "no", "edit"]
DECISIONS: dict[str, Decision] = {
    **dict.fromkeys(("yes", "y", "yep", "yeah", "yup", "correct", "confirm", "right"), "yes"),
    **dict.fromkeys(("no", "n", "nope", "nah", "wrong"), "no"),
    **dict.fromkeys(("edit", "change"), "edit"),
}
TYPED = {"yes": "yes", "no": "no", "edit": "change"}  # `edit N` is a briefings command
CONFIRM_ACTION = "confirm"


@dataclass(frozen=True, slots=True)
class Proposal:
    """What yes would record: an answer to the asked question (its facts, the asked
    field's first) or a correction of `corrects` (an answer id; None: the field had
    no answer yet), on deal `deal_id`. `text`: the rep's words; `source`: who read them."""

    kind: Literal["answer", "correction"]
    deal_id: int
    facts: tuple[ProposedFact, ...]
    text: str
    corrects: int | None = None
    source: str = "text"  # who read it: "text" (the reader) or "model"

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "deal_id": self.deal_id,
                "facts": [fact.to_dict() for fact in self.facts],
                "text": self.text,
                "corrects": self.corrects,
                "source": self.source,
            }
        )

    @classmethod
    def from_json(cls, raw: str) -> Proposal:
        data = json.loads(raw)
        return cls(
            kind=data["kind"],
            deal_id=data["deal_id"],
            facts=tuple(_fact(item) for item in data["facts"]),
            text=data["text"],
            corrects=data.get("corrects"),
            source=data.get("source", "text"),
        )


def decision(text: str) -> Decision | None:
    """The rep's yes / no / edit to a proposal; None when the text says something else."""
    return DECISIONS.get(text.strip().strip(".!").casefold())


def shown(spec: FieldSpec, fact: ProposedFact) -> str:
    """A fact as people read it: 'Maria Lind (CFO)', 'Budget confirmed', 'none'."""
    if fact.people and not fact.is_none and not fact.is_unsure:
        return " and ".join(person.display for person in fact.people)
    return spec.display(fact.value)


def confirm_message(
    playbook: Playbook,
    question_id: int,
    proposal: Proposal,
    *,
    action: str = CONFIRM_ACTION,
    deal: str | None = None,
) -> Message:
    """'Record Maria Lind (CFO) as decision maker?' with yes / no / edit buttons (their
    `action`); `deal`: the deal's name, said when no question shows it."""
    parts = [
        say("confirm_part_none", label=spec.label.lower())
        if fact.is_none
        else say("confirm_part", value=shown(spec, fact), label=spec.label.lower())
        for fact in proposal.facts
        for spec in (playbook.field(fact.field),)
    ]
    key = "confirm_correction" if proposal.kind == "correction" else "confirm_answer"
    text = say(f"{key}_on_deal" if deal else key, facts=" and ".join(parts), deal=deal)
    buttons = tuple(
        Button(
            action=action,
            label=say(f"confirm_{choice}"),
            value=f"{question_id}:{choice}",
            command=TYPED[choice],
            style="primary" if choice == "yes" else "default",
        )
        for choice in ("yes", "no", "edit")
    )
    return Message(summary=text, blocks=(Paragraph(text=text), Actions(buttons=buttons)))


def _fact(data: dict[str, Any]) -> ProposedFact:
    return ProposedFact(
        field=data["field"],
        value=data["value"],
        confidence=data["confidence"],
        words=data["words"],
        hedge=data.get("hedge"),
        date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
        people=tuple(
            Person(person["name"], person["title"], person["known"])
            for person in data.get("people", ())
        ),
    )
