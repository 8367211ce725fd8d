"""The check-in dialog: start, ask one question at a time, record, coach, re-ask, finish.

Every method runs inside the caller's transaction and writes what it says to the
outbox through `turn.out`. A question is settled by a conditional update, so a second
click or a retried event cannot record an answer twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.checkins import messages as ui
from bot.engine import formatting
from bot.engine.messages import Message, Paragraph
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.answer_parser import ParsedAnswer, parse_answer
from coaching.checkin_policy import (
    CheckinRules,
    PlannedQuestion,
    schedule_for,
    select_questions,
)
from coaching.extraction import AnswerExtractor, Extraction
from coaching.model import DealFacts, answers_by_deal, latest_answers
from coaching.playbook import UNKNOWN, FieldSpec, Playbook
from coaching.qualification import build_card
from coaching.understanding import Question, ReplyContext, understand
from storage import answers, checkins, queries, question_context
from storage.models import CheckIn, CheckInQuestion

log = logging.getLogger(__name__)
MODEL_CONFIDENCE_FLOOR = 0.6


class CheckinDialog:
    """Runs check-ins for the conversation engine and the scheduler."""

    max_unclear = 2

    def __init__(
        self, playbook: Playbook, rules: CheckinRules, extractor: AnswerExtractor | None = None
    ) -> None:
        self.playbook = playbook
        self.rules = rules
        self.extractor = extractor

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
            turn.out.send(Message.text(say("nothing_to_ask")))
            return
        questions = checkins.start_checkin(
            session,
            person.id,
            [(item.deal_id, item.field) for item in planned],
            turn.now,
            expires_at=turn.now + self.rules.expires_after,
        )
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

    def is_aside(self, turn: Turn, question: CheckInQuestion, text: str) -> bool:
        """Whether the text is a question for the coach rather than an answer."""
        reading = understand(text, ReplyContext(self.playbook, question.field, turn.today))
        return isinstance(reading, Question)

    def read(
        self,
        session: Session,
        question: CheckInQuestion,
        text: str,
        today: dt.date,
        now: dt.datetime,
    ) -> tuple[ui.AskContext, ParsedAnswer]:
        """The deterministic reading of free text: a choice number, else the parser."""
        ctx = self.context(session, question, now)
        choices = ui.choices(ctx)
        stripped = text.strip()
        if stripped.isdecimal() and choices and 1 <= int(stripped) <= len(choices):
            return ctx, ParsedAnswer("answer", choices[int(stripped) - 1].value)
        return ctx, parse_answer(ctx.spec, text, today, ctx.names)

    def extraction_request(
        self,
        session: Session,
        question: CheckInQuestion,
        text: str,
        today: dt.date,
        now: dt.datetime,
    ) -> ExtractionRequest | None:
        """What to ask the model, when a model is configured and the parser could not read it."""
        if self.extractor is None:
            return None
        ctx, parsed = self.read(session, question, text, today, now)
        if parsed.outcome != "unclear":
            return None
        return ExtractionRequest(question.id, ctx.spec, ctx.text, text, today, ctx.names)

    def extract(self, request: ExtractionRequest) -> Extraction | None:
        """Call the model (outside any transaction); None when it fails."""
        assert self.extractor is not None
        try:
            return self.extractor.extract(
                request.spec,
                request.question,
                request.text,
                today=request.today,
                known_names=request.names,
            )
        except Exception:
            log.warning("answer extraction failed; re-asking", exc_info=True)
            return None

    def answer_text(
        self,
        turn: Turn,
        question: CheckInQuestion,
        text: str,
        extraction: Extraction | None = None,
    ) -> None:
        """Free text for the asked question: parsed, else the model's reading, else re-asked."""
        ctx, parsed = self.read(turn.session, question, text, turn.today, turn.now)
        source = "text"
        if parsed.outcome == "unclear" and extraction is not None:
            extracted = _from_model(ctx.spec, extraction)
            if extracted is not None:
                parsed, source = extracted, "model"
        if parsed.outcome == "skip":
            self.skip(turn, question, ctx)
        elif parsed.outcome == "unclear":
            self._reask(turn, question, ctx, parsed.hint or "")
        else:
            self.settle(
                turn,
                question,
                parsed.value or UNKNOWN,
                source,
                confidence=parsed.confidence,
                note=text if ctx.spec.kind != "text" else None,
                ctx=ctx,
            )

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
    ) -> None:
        """Record an answer to an asked question (once), coach, and move on. `ctx`: the
        question's context when the caller already has it (it is read once per turn)."""
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
        recorded = say("recorded", label=ctx.spec.label, value=ctx.spec.display(value))
        self._update_in_place(turn, question, ctx, recorded)
        lead = [recorded]
        coaching = self._coaching(ctx, value)
        if coaching:
            lead.append(coaching)
        self.advance(turn, question, tuple(lead))

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
        if ctx.spec.kind == "person" and value != UNKNOWN:
            placeholders["person"] = value
        return line.format(**placeholders)


@dataclass(frozen=True, slots=True)
class ExtractionRequest:
    question_id: int
    spec: FieldSpec
    question: str
    text: str
    today: dt.date
    names: tuple[str, ...]


def _from_model(spec: FieldSpec, extraction: Extraction) -> ParsedAnswer | None:
    """A model's reading as a parsed answer, if it is confident and the value is valid."""
    if extraction.unsure:
        return ParsedAnswer("unsure", UNKNOWN, extraction.confidence)
    if extraction.value is None or extraction.confidence < MODEL_CONFIDENCE_FLOOR:
        return None
    if not _valid_value(spec, extraction.value):
        return None
    return ParsedAnswer("answer", extraction.value, extraction.confidence)


def _valid_value(spec: FieldSpec, value: str) -> bool:
    """A model's value must be one the playbook allows: never an invented option."""
    if spec.kind == "choice" and not spec.allow_text:
        return spec.option(value) is not None
    if spec.kind == "scale" and spec.scale:
        return value.isdecimal() and spec.scale.min <= int(value) <= spec.scale.max
    if spec.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
    return bool(value.strip())


def _tally(turn: Turn, checkin: CheckIn) -> tuple[int, int]:
    statuses = checkins.question_statuses(turn.session, checkin.id)
    return statuses.count("answered"), len(statuses)


def _paragraphs(texts: tuple[str, ...]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text=text) for text in texts)
