"""The check-in dialog: start, ask one question at a time, record, coach, re-ask, finish.

Every method runs inside the caller's transaction and writes what it says to the
outbox through `turn.out`. A question is settled by a conditional update, so a second
click or a retried event cannot record an answer twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.checkins import messages as ui
from bot.checkins import proposals
from bot.checkins.fixes import Fixes
from bot.checkins.reading import read_reply
from bot.engine import formatting
from bot.engine.messages import Message, Paragraph
from bot.engine.replies import say
from bot.engine.turn import Turn
from bot.infra import metrics
from coaching.checkin_policy import (
    CheckinRules,
    PlannedQuestion,
    schedule_for,
    select_questions,
)
from coaching.model import DealFacts, answers_by_deal, latest_answers
from coaching.playbook import FieldSpec, Playbook
from coaching.qualification import build_card
from coaching.understanding import (
    Answered,
    Command,
    Correction,
    ProposedFact,
    Question,
    Reading,
    Skipped,
    SmallTalk,
    Unclear,
    Undo,
    explain,
    is_sure,
)
from storage import answers, checkins, queries, question_context
from storage.models import CheckIn, CheckInQuestion


class CheckinDialog:
    """Runs check-ins for the conversation engine and the scheduler."""

    max_unclear = 2

    def __init__(self, playbook: Playbook, rules: CheckinRules) -> None:
        self.playbook = playbook
        self.rules = rules
        self.fixes = Fixes(playbook, self)

    # Starting and asking

    def start(self, turn: Turn) -> None:
        """A check-in now: resume the open one, or plan a new one on what is unknown or stale."""
        session, person = turn.session, turn.person
        asked = checkins.asked_question(session, person.id)
        if asked is not None:
            self.ask(turn, asked, lead=(say("checkin_resumed"),))
            return
        deals = queries.open_deals(session, person.id)
        history = answers_by_deal(queries.answers_for(session, [deal.id for deal in deals]))
        planned = select_questions(
            self.playbook,
            deals,
            {deal_id: latest_answers(answers) for deal_id, answers in history.items()},
            turn.now,
            today=turn.today,
            limit=person.max_questions or self.rules.max_questions,
            per_deal=self.rules.per_deal,
        )
        if not planned:
            turn.out.send(Message.text(say(_nothing_to_ask(person.role, bool(deals)))))
            return
        questions = checkins.start_checkin(
            session,
            person.id,
            [(item.deal_id, item.field) for item in planned],
            turn.now,
            expires_at=turn.now + self.rules.expires_after,
        )
        metrics.CHECKINS_SENT.labels("asked").inc()
        self.ask(turn, questions[0], lead=(self.intro(deals, planned),))

    def intro(self, deals: list[DealFacts], planned: list[PlannedQuestion]) -> str:
        names = {deal.id: deal.name for deal in deals}
        asked_about = dict.fromkeys(names[item.deal_id] for item in planned)
        return say(
            "checkin_intro",
            count=len(planned),
            questions="question" if len(planned) == 1 else "questions",
            deals=", ".join(asked_about),
        )

    def ask(self, turn: Turn, question: CheckInQuestion, lead: tuple[str, ...] = ()) -> None:
        question.status = "asked"
        question.asked_at = question.asked_at or turn.now
        ctx = self.context(turn.session, question, turn.now)
        turn.out.send(ui.question_message(ctx, lead), question=question)

    def context(
        self, session: Session, question: CheckInQuestion, now: dt.datetime
    ) -> ui.AskContext:
        """What phrasing a question needs: the deal, its card's placeholders, names, position."""
        deal = question_context.deal(session, question.deal_id)
        card = build_card(self.playbook, deal, question_context.history(session, deal.id), now)
        spec = self.playbook.field(question.field)
        return ui.AskContext(
            question_id=question.id,
            spec=spec,
            deal=deal,
            placeholders=card.placeholders(spec),
            position=question.position + 1,
            total=question_context.question_count(session, question.checkin_id) or 1,
            names=question_context.stakeholder_names(session, deal.id),
        )

    # Answers

    def answer_text(
        self,
        turn: Turn,
        question: CheckInQuestion,
        text: str,
        model: Reading | None = None,
    ) -> bool:
        """A typed reply to the asked question: a yes / no / edit to a proposal, a choice's
        number, else the reply read (the model's reading when the reader was not sure).
        False when it is not an answer (a question for the coach)."""
        ctx = self.context(turn.session, question, turn.now)
        if question.proposal is not None:
            decided = proposals.decision(text)
            if decided is not None:
                self.decide(turn, question, decided, ctx)
                return True
            question.proposal = None  # a fresh reply instead
        choice = _numbered_choice(ctx, text)
        if choice is not None:
            self.settle(turn, question, choice, "text", note=text, ctx=ctx)
            return True
        reading, source = (
            read_reply(turn.session, self.playbook, question, text, turn.today),
            "text",
        )
        if model is not None and not is_sure(reading):
            reading, source = model, "model"
        return self.respond(turn, question, ctx, text, reading=reading, source=source)

    def respond(
        self,
        turn: Turn,
        question: CheckInQuestion,
        ctx: ui.AskContext,
        text: str,
        *,
        reading: Reading,
        source: str = "text",
    ) -> bool:
        """Act on what a reply says; False when it is for someone else (the coach)."""
        match reading:
            case Question():
                return False
            case Command(word="stop"):
                self.stop(turn)
            case Command(word="help"):
                self.ask(turn, question, lead=(say("help_during_checkin"),))
            case Command():
                return False
            case SmallTalk():
                self.ask(turn, question, lead=(say("checkin_small_talk"),))
            case Skipped():
                self.skip(turn, question, ctx)
            case Undo():
                self.fixes.undo(turn, question)
            case Correction():
                self.fixes.correct(turn, question, reading, text)
            case Unclear(reason=reason):
                self._reask(turn, question, ctx, explain(reason, ctx.spec))
            case Answered():
                self._answered(turn, question, ctx, reading, text=text, source=source)
        return True

    def _answered(
        self,
        turn: Turn,
        question: CheckInQuestion,
        ctx: ui.AskContext,
        reading: Answered,
        *,
        text: str,
        source: str,
    ) -> None:
        """High confidence is recorded; medium is proposed for a yes; low never recorded."""
        if reading.asked.confidence == "low":
            self._reask(turn, question, ctx, explain(_reason(ctx.spec), ctx.spec))
            return
        facts = tuple(fact for fact in reading.facts if fact.confidence != "low")
        if any(fact.confidence != "high" for fact in facts):
            proposal = proposals.Proposal("answer", question.deal_id, facts, text, source=source)
            self.propose(turn, question, proposal)
            return
        asked, *extras = facts
        self.settle(turn, question, asked.value, source, note=text, ctx=ctx, extras=extras)

    def propose(self, turn: Turn, question: CheckInQuestion, proposal: proposals.Proposal) -> None:
        """Ask the rep to confirm what a reply proposed; the question waits meanwhile."""
        question.proposal = proposal.to_json()
        message = proposals.confirm_message(self.playbook, question.id, proposal)
        turn.out.send(message, question=question)

    def decide(
        self,
        turn: Turn,
        question: CheckInQuestion,
        decided: proposals.Decision,
        ctx: ui.AskContext | None = None,
    ) -> None:
        """The rep's yes / no / edit to the proposal waiting on the question."""
        if question.status != "asked":
            self._already_settled(
                turn, question, ctx or self.context(turn.session, question, turn.now)
            )
            return
        if question.proposal is None:
            turn.out.send(Message.text(say("nothing_to_confirm")))
            return
        proposal = proposals.Proposal.from_json(question.proposal)
        question.proposal = None
        if decided == "no":
            self.ask(turn, question, lead=(say("confirm_declined"),))
        elif decided == "edit":
            self.ask(turn, question, lead=(say("confirm_edit_prompt"),))
        elif proposal.kind == "correction":
            self.fixes.apply(turn, question, proposal)
        else:
            asked, *extras = proposal.facts
            source, note = proposal.source, proposal.text
            self.settle(turn, question, asked.value, source, note=note, ctx=ctx, extras=extras)

    def settle(
        self,
        turn: Turn,
        question: CheckInQuestion,
        value: str,
        source: str,
        *,
        confidence: float = 1.0,
        note: str | None = None,
        ctx: ui.AskContext | None = None,
        extras: Sequence[ProposedFact] = (),
    ) -> None:
        """Record an answer to an asked question (once), and the facts for other fields
        the reply gave; echo them, coach, and move on. `ctx`: the question's context
        when the caller already has it (it is read once per turn)."""
        ctx = ctx or self.context(turn.session, question, turn.now)
        if not checkins.settle(turn.session, question, "answered", turn.now):
            self._already_settled(turn, question, ctx)
            return
        answer = answers.record_answer(
            turn.session,
            deal_id=question.deal_id,
            field=question.field,
            value=value,
            source=source,
            person_id=turn.person.id,
            now=turn.now,
            confidence=confidence,
            note=note,
        )
        question.answer_id = answer.id
        question.proposal = None
        metrics.CHECKIN_ANSWERS.labels(source).inc()
        recorded = say("recorded", label=ctx.spec.label, value=ctx.spec.display(value))
        self._update_in_place(turn, question, ctx, recorded)
        lead = [recorded, *self.record_facts(turn, question, extras, note)]
        coaching = self._coaching(ctx, value)
        if coaching:
            lead.append(coaching)
        self.advance(turn, question, tuple(lead))

    def record_facts(
        self,
        turn: Turn,
        question: CheckInQuestion,
        facts: Sequence[ProposedFact],
        note: str | None,
        *,
        deal_id: int | None = None,
    ) -> list[str]:
        """Record facts a reply gave in passing (on the question's deal unless `deal_id`
        says otherwise); a question of this check-in they answer is not asked. Returns
        the echo lines."""
        lines = []
        for fact in facts:
            answer = answers.record_answer(
                turn.session,
                deal_id=deal_id or question.deal_id,
                field=fact.field,
                value=fact.value,
                source="text",
                person_id=turn.person.id,
                now=turn.now,
                note=note,
            )
            later = checkins.pending_question(
                turn.session, question.checkin_id, answer.deal_id, fact.field
            )
            if later is not None:
                later.status, later.answered_at, later.answer_id = "answered", turn.now, answer.id
            spec = self.playbook.field(fact.field)
            lines.append(say("recorded", label=spec.label, value=proposals.shown(spec, fact)))
        return lines

    def skip(self, turn: Turn, question: CheckInQuestion, ctx: ui.AskContext | None = None) -> None:
        ctx = ctx or self.context(turn.session, question, turn.now)
        if not checkins.settle(turn.session, question, "skipped", turn.now):
            self._already_settled(turn, question, ctx)
            return
        skipped = say("skipped", label=ctx.spec.label)
        self._update_in_place(turn, question, ctx, skipped)
        self.advance(turn, question, (skipped,))

    def advance(self, turn: Turn, question: CheckInQuestion, lead: tuple[str, ...]) -> None:
        """Ask the next question of the check-in, or wrap it up."""
        following = checkins.next_pending(turn.session, question.checkin_id)
        if following is not None:
            self.ask(turn, following, lead)
            return
        checkin = checkins.checkin(turn.session, question.checkin_id)
        checkins.close_checkin(turn.session, checkin, "done", turn.now)
        answered, total = _tally(turn, checkin)
        done = say("checkin_done", answered=answered, total=total, next=self.next_checkin(turn))
        turn.out.send(Message(summary=done, blocks=_paragraphs((*lead, done))))

    def stop(self, turn: Turn) -> bool:
        """End the open check-in at the rep's request; False when there is none."""
        checkin = checkins.open_checkin(turn.session, turn.person.id)
        if checkin is None:
            return False
        asked = checkins.asked_question(turn.session, turn.person.id)
        checkins.close_checkin(turn.session, checkin, "closed", turn.now)
        if asked is not None and asked.message_ref:
            ctx = self.context(turn.session, asked, turn.now)
            turn.out.update(
                asked.message_ref, ui.settled_message(ctx, say("skipped", label=ctx.spec.label))
            )
        answered, total = _tally(turn, checkin)
        turn.out.send(Message.text(say("checkin_stopped", answered=answered, total=total)))
        return True

    def next_checkin(self, turn: Turn) -> str:
        rhythm = checkins.rep_rhythms(turn.session, [turn.person.id]).get(turn.person.id)
        slot = schedule_for(rhythm, self.rules).next_slot(turn.now) if rhythm else None
        if slot is None:
            return say("no_next_checkin")
        return say("next_checkin", when=formatting.local_moment(slot, turn.person.timezone))

    # Helpers

    def _reask(self, turn: Turn, question: CheckInQuestion, ctx: ui.AskContext, hint: str) -> None:
        question.attempts += 1
        label = ctx.spec.label
        if question.attempts > self.max_unclear:
            if checkins.settle(turn.session, question, "skipped", turn.now):
                self.advance(turn, question, (say("unclear_gave_up", label=label),))
            return
        self.ask(turn, question, lead=(say("unclear", label=label.lower(), hint=hint),))

    def _already_settled(self, turn: Turn, question: CheckInQuestion, ctx: ui.AskContext) -> None:
        checkins.reread(turn.session, question)
        if question.status == "answered" and question.answer_id is not None:
            value = answers.value_of(turn.session, question.answer_id)
            text = say("already_recorded", label=ctx.spec.label, value=ctx.spec.display(value))
        else:
            text = say("question_closed")
        turn.out.send(Message.text(text))

    def _update_in_place(
        self, turn: Turn, question: CheckInQuestion, ctx: ui.AskContext, outcome: str
    ) -> None:
        if question.message_ref:
            turn.out.update(question.message_ref, ui.settled_message(ctx, outcome))

    def _coaching(self, ctx: ui.AskContext, value: str) -> str | None:
        line = ctx.spec.coaching_for(value)
        if line is None:
            return None
        placeholders = dict(ctx.placeholders)
        if ctx.spec.kind == "person" and ctx.spec.holds(value):
            placeholders["person"] = value
        return line.format(**placeholders)


def _numbered_choice(ctx: ui.AskContext, text: str) -> str | None:
    """The value of the choice a reply names by its number ("2")."""
    choices = ui.choices(ctx)
    stripped = text.strip()
    if stripped.isdecimal() and choices and 1 <= int(stripped) <= len(choices):
        return choices[int(stripped) - 1].value
    return None


def _reason(spec: FieldSpec) -> str:
    """The hint's key for a field whose answer could not be read."""
    if spec.kind == "choice":
        return "option"
    return "listing" if spec.listing else spec.kind


def _tally(turn: Turn, checkin: CheckIn) -> tuple[int, int]:
    statuses = checkins.question_statuses(turn.session, checkin.id)
    return statuses.count("answered"), len(statuses)


def _paragraphs(texts: tuple[str, ...]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text=text) for text in texts)


def _nothing_to_ask(role: str, has_deals: bool) -> str:
    """Why there is no check-in: all fresh, no deals, or a manager without deals of their own."""
    if has_deals:
        return "nothing_to_ask"
    return "nothing_to_ask_manager" if role == "manager" else "no_open_deals"
