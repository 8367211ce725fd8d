"""Undo and corrections any time in the chat, not only while a check-in waits.

Outside a check-in, `undo` takes back the rep's most recent recorded answer; "change
champion to Priya Shah", "change the champion on Northwind to Priya Shah" or "no, I
meant Tom" correct a field on the deal named, else on the deal of the rep's latest
answer to it, else ask which. Like an answer, a sure correction is recorded and a less
sure one waits for yes / no / edit (storage PendingCorrection); history stays
append-only (storage/answers.py). During a check-in the dialog's own fixes run.
"""

from __future__ import annotations

import dataclasses
import re

from bot.checkins.dialog import CheckinDialog
from bot.checkins.proposals import Decision, Proposal, confirm_message, decision, shown
from bot.engine.messages import Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.matching import match_deals, resolve_deal
from coaching.model import DealFacts
from coaching.playbook import Playbook
from coaching.understanding import (
    Correction,
    KnownPerson,
    PreviousAnswer,
    ReplyContext,
    explain,
    read_chat_correction,
)
from storage import answers, checkins, coach, queries, question_context

FIX_ACTION = "confirm_correction"
OPTIONS_SHOWN = 5
# "... champion on Northwind to ...": the deal named between the field and the new value
_ON_DEAL = re.compile(
    r"\s+(?:on|for|in)\s+(?:the\s+)?(?P<deal>.+?)(?:\s+deal)?(?=\s+(?:to|as|is|should\s+be)\s)",
    re.IGNORECASE,
)
_AFTER_DEAL = re.compile(
    r"\s+(?:on|for|in)\s+(?:the\s+)?(?P<deal>[^,;:]+?)(?:\s+deal)?\s*[.!]?$", re.IGNORECASE
)
_LINK = re.compile(r"\s(?:to|as|is|should\s+be)\s", re.IGNORECASE)


class ChatFixes:
    """`undo`, corrections and their yes / no outside a check-in."""

    def __init__(self, playbook: Playbook, dialog: CheckinDialog) -> None:
        self.playbook = playbook
        self.dialog = dialog

    def undo(self, turn: Turn) -> None:
        """Take back the rep's last recorded answer (the check-in's, when one waits)."""
        session, person = turn.session, turn.person
        asked = checkins.asked_question(session, person.id)
        if asked is not None:
            asked.proposal = None
            self.dialog.fixes.undo(turn, asked)
            return
        answers.keep_pending_correction(session, person.id, None, turn.now)
        taken = answers.last_reply(session, person.id, None)
        lines = []
        for answer in taken:
            if answers.undo_answer(session, answer.id, turn.now) is None:
                continue
            spec = self.playbook.field(answer.field)
            deal = question_context.deal(session, answer.deal_id).name
            line = say(
                "undone_on_deal", label=spec.label, value=spec.display(answer.value), deal=deal
            )
            now = answers.current_answer(session, answer.deal_id, answer.field)
            if now is not None:
                line = f"{line} {say('back_to', value=spec.display(now.value))}"
            lines.append(line)
        turn.out.send(Message.text("\n".join(lines) or say("nothing_to_undo_chat")))

    def follow_up(self, turn: Turn, text: str) -> bool:
        """A yes / no to a waiting correction, or a correction; False for anything else
        (and always while a check-in question waits or a role-play goes on: theirs)."""
        session, person = turn.session, turn.person
        if checkins.asked_question(session, person.id) is not None:
            return False
        if coach.open_session(session, person.id) is not None:
            return False  # a role-play line ("the budget is actually fine") is the coach's
        pending = answers.pending_correction(session, person.id)
        if pending is not None:
            decided = decision(text)
            if decided is not None:
                self._decide(turn, Proposal.from_json(pending), decided)
                return True
            answers.keep_pending_correction(session, person.id, None, turn.now)  # moved on
        return self._correct(turn, text)

    def confirm_button(self, turn: Turn, value: str) -> None:
        """Yes / no / edit under a correction proposed outside a check-in."""
        pending = answers.pending_correction(turn.session, turn.person.id)
        decided = decision(value.partition(":")[2])
        if pending is None or decided is None:
            turn.out.send(Message.text(say("nothing_to_confirm")))
            return
        self._decide(turn, Proposal.from_json(pending), decided)

    def _decide(self, turn: Turn, proposal: Proposal, decided: Decision) -> None:
        answers.keep_pending_correction(turn.session, turn.person.id, None, turn.now)
        if decided == "yes":
            self._apply(turn, proposal)
        else:
            key = "correction_declined" if decided == "no" else "correction_edit_prompt"
            turn.out.send(Message.text(say(key)))

    def _correct(self, turn: Turn, text: str) -> bool:
        session, person = turn.session, turn.person
        words, named = _deal_named(text)
        probe = ReplyContext(self.playbook, self.playbook.fields[0].key, turn.today)
        if read_chat_correction(words, probe) is None:
            return False  # cheap: most chat is no correction
        if named is None:
            words, named = _deal_after(words, queries.open_deals(session, person.id))
        last = answers.last_reply(session, person.id, None)
        previous = PreviousAnswer(last[0].field, last[0].value) if last else None
        first = read_chat_correction(words, dataclasses.replace(probe, previous=previous))
        if first is None or (previous is None and _follows_question(words, probe)):
            return False  # "no, I meant Tom" with no answer of the rep's to correct
        deal = self._deal(turn, first.field, named)
        if deal is None:
            return True
        people = tuple(
            KnownPerson(name, title)
            for name, title in question_context.stakeholders(session, deal.id)
        )
        context = ReplyContext(
            self.playbook, first.field, turn.today, people=people, previous=previous
        )
        correction = read_chat_correction(words, context) or first
        self._propose(turn, deal, correction, text)
        return True

    def _deal(self, turn: Turn, field: str, named: str | None) -> DealFacts | None:
        """The deal corrected: the one named, else that of the rep's latest answer to
        `field`, else the rep's only deal; None after asking which."""
        deals = queries.open_deals(turn.session, turn.person.id)
        label = self.playbook.field(field).label.lower()
        if named is not None:
            choice = resolve_deal(named, deals)
            if choice.deal is not None:
                return choice.deal
            options = choice.options or tuple(deals[:OPTIONS_SHOWN])
            names = ", ".join(deal.name for deal in options)
            turn.out.send(Message.text(say("correction_no_such_deal", query=named, names=names)))
            return None
        latest = answers.latest_by(turn.session, turn.person.id, field)
        by_id = {deal.id: deal for deal in deals}
        if latest is not None and latest.deal_id in by_id:
            return by_id[latest.deal_id]
        if len(deals) == 1:
            return deals[0]
        if not deals:
            turn.out.send(Message.text(say("no_open_deals")))
            return None
        names = ", ".join(deal.name for deal in deals[:OPTIONS_SHOWN])
        example = deals[0].name
        turn.out.send(
            Message.text(say("correction_which_deal", label=label, names=names, example=example))
        )
        return None

    def _propose(self, turn: Turn, deal: DealFacts, correction: Correction, text: str) -> None:
        """Record a sure correction; a less sure one waits for the rep's yes."""
        spec = self.playbook.field(correction.field)
        facts = tuple(fact for fact in correction.facts if fact.confidence != "low")
        if not facts or facts[0].field != correction.field:
            hint = explain(correction.reason or "correction", spec)
            lead = say("correction_unclear", label=spec.label.lower(), hint=hint)
            turn.out.send(Message.text(lead))
            return
        wrong = answers.current_answer(turn.session, deal.id, correction.field)
        proposal = Proposal("correction", deal.id, facts, text, wrong.id if wrong else None)
        if all(fact.confidence == "high" for fact in facts):
            self._apply(turn, proposal)
            return
        answers.keep_pending_correction(turn.session, turn.person.id, proposal.to_json(), turn.now)
        turn.out.send(
            confirm_message(self.playbook, 0, proposal, action=FIX_ACTION, deal=deal.name)
        )

    def _apply(self, turn: Turn, proposal: Proposal) -> None:
        """Append the right value (the wrong one superseded) and any extra facts."""
        session, person = turn.session, turn.person
        first, *rest = proposal.facts
        right = None
        if proposal.corrects is not None:
            right = answers.correct_answer(
                session,
                proposal.corrects,
                value=first.value,
                source="correction",
                person_id=person.id,
                now=turn.now,
                note=proposal.text,
            )
        deal = question_context.deal(session, proposal.deal_id).name
        lines = []
        for fact, source in ((first, "correction"), *((extra, "text") for extra in rest)):
            if fact is not first or right is None:
                answers.record_answer(
                    session,
                    deal_id=proposal.deal_id,
                    field=fact.field,
                    value=fact.value,
                    source=source,
                    person_id=person.id,
                    now=turn.now,
                    note=proposal.text,
                )
            spec = self.playbook.field(fact.field)
            key = "corrected_on_deal" if fact is first else "recorded"
            lines.append(say(key, label=spec.label, value=shown(spec, fact), deal=deal))
        lines.append(say("undo_hint"))
        turn.out.send(Message.text("\n".join(lines)))


def _deal_named(text: str) -> tuple[str, str | None]:
    """The text without the deal it names before the new value, and that deal's words."""
    match = _ON_DEAL.search(text)
    if match is None or _LINK.search(text[: match.start() + 1]):
        return text, None
    return text[: match.start()] + text[match.end() :], match.group("deal").strip()


def _deal_after(text: str, deals: list[DealFacts]) -> tuple[str, str | None]:
    """ "… to Priya Shah on Northwind": the deal named at the end, when those words name
    exactly one of the rep's deals ("… demo on Thursday" names none and stays the value)."""
    match = _AFTER_DEAL.search(text)
    if match is None or len(match_deals(match.group("deal"), deals)) != 1:
        return text, None
    return text[: match.start()], match.group("deal").strip()


def _follows_question(words: str, probe: ReplyContext) -> bool:
    """Whether the correction's field is the asked one, whichever that is ("no, I meant
    Tom"), rather than a field it names ("change money to yes")."""
    other = next(spec.key for spec in probe.playbook.fields if spec.key != probe.field)
    again = read_chat_correction(words, dataclasses.replace(probe, field=other))
    return again is not None and again.field == other
