"""Taking answers back and correcting them, append-only: `undo` supersedes what the
last reply recorded; "no, I meant Tom" and "change champion to Priya Shah" append
the right answer and supersede the wrong one (storage/answers.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.checkins import proposals
from bot.checkins.proposals import Proposal
from bot.checkins.reading import last_answers, reply_context
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.playbook import Playbook
from coaching.understanding import Correction, ProposedFact, explain, understand
from storage import answers, checkins
from storage.models import CheckInQuestion


class Dialog(Protocol):
    """What fixes need from the check-in dialog."""

    def ask(self, turn: Turn, question: CheckInQuestion, lead: tuple[str, ...] = ()) -> None: ...

    def propose(self, turn: Turn, question: CheckInQuestion, proposal: Proposal) -> None: ...

    def record_facts(
        self,
        turn: Turn,
        question: CheckInQuestion,
        facts: Sequence[ProposedFact],
        note: str | None,
        *,
        deal_id: int | None = None,
    ) -> list[str]: ...


class Fixes:
    """Undo and corrections during a check-in; the asked question waits meanwhile."""

    def __init__(self, playbook: Playbook, dialog: Dialog) -> None:
        self.playbook = playbook
        self.dialog = dialog

    def undo(self, turn: Turn, question: CheckInQuestion) -> None:
        """Take back what the last reply recorded, and ask its question again."""
        taken = last_answers(turn.session, question)
        if not taken:
            self.dialog.ask(turn, question, lead=(say("nothing_to_undo"),))
            return
        lines = []
        for answer in taken:
            if answers.undo_answer(turn.session, answer.id, turn.now) is not None:
                spec = self.playbook.field(answer.field)
                lines.append(say("undone", label=spec.label, value=spec.display(answer.value)))
        again = checkins.question_for_answer(turn.session, question.checkin_id, taken[0].id)
        if again is None or again.id == question.id:
            self.dialog.ask(turn, question, lead=tuple(lines))
            return
        question.status = "pending"  # asked again after the one taken back
        again.status, again.answer_id, again.answered_at = "pending", None, None
        self.dialog.ask(turn, again, lead=tuple(lines))

    def correct(
        self, turn: Turn, question: CheckInQuestion, correction: Correction, text: str
    ) -> None:
        """A new value for an earlier answer: recorded when sure, proposed when not. The
        answer corrected is on the deal of the rep's last answer to that field, else on
        the question's deal; the new value is read with that deal's people."""
        previous = last_answers(turn.session, question)
        deal_id = next(
            (answer.deal_id for answer in previous if answer.field == correction.field),
            question.deal_id,
        )
        if deal_id != question.deal_id:
            context = reply_context(turn.session, self.playbook, question, turn.today, deal_id)
            reread = understand(text, context)
            if isinstance(reread, Correction) and reread.field == correction.field:
                correction = reread
        spec = self.playbook.field(correction.field)
        facts = tuple(fact for fact in correction.facts if fact.confidence != "low")
        if not facts or facts[0].field != correction.field:
            hint = explain(correction.reason or "correction", spec)
            lead = say("correction_unclear", label=spec.label.lower(), hint=hint)
            self.dialog.ask(turn, question, lead=(lead,))
            return
        wrong = answers.current_answer(turn.session, deal_id, correction.field)
        proposal = Proposal("correction", deal_id, facts, text, wrong.id if wrong else None)
        if all(fact.confidence == "high" for fact in facts):
            self.apply(turn, question, proposal)
        else:
            self.dialog.propose(turn, question, proposal)

    def apply(self, turn: Turn, question: CheckInQuestion, proposal: Proposal) -> None:
        """Record a correction, then ask the waiting question again."""
        first, *rest = proposal.facts
        spec = self.playbook.field(first.field)
        right = None
        if proposal.corrects is not None:
            right = answers.correct_answer(
                turn.session,
                proposal.corrects,
                value=first.value,
                source="correction",
                person_id=turn.person.id,
                now=turn.now,
                note=proposal.text,
            )
        if right is None:
            self.dialog.record_facts(
                turn, question, (first,), proposal.text, deal_id=proposal.deal_id
            )
        lines = [say("corrected", label=spec.label, value=proposals.shown(spec, first))]
        lines += self.dialog.record_facts(
            turn, question, rest, proposal.text, deal_id=proposal.deal_id
        )
        self.dialog.ask(turn, question, lead=tuple(lines))
