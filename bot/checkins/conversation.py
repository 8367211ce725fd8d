"""How check-ins take part in the conversation: the rep's deals and cards, the buttons
under a question, the question waiting for a typed answer, and `stop`.

Button values are "<question id>" or "<question id>:<choice value>".
"""

from __future__ import annotations

from bot.checkins import views
from bot.checkins.cards import open_cards
from bot.checkins.dialog import CheckinDialog
from bot.checkins.model_reading import ModelReading, read_with_model
from bot.checkins.proposals import decision
from bot.checkins.reading import reply_context
from bot.engine.feature import IsCommand, OpenQuestion
from bot.engine.messages import Incoming, Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from bot.infra.local_time import local_date
from bot.infra.services import Services
from coaching.matching import match_deals
from coaching.understanding import ExtractionRequest, FactExtractor, is_sure, understand
from storage import checkins, people
from storage.models import CheckInQuestion
from storage.row_ids import row_id

FREE_TEXT = {"text", "person"}  # field kinds answered in the rep's own words


class CheckinConversation:
    """The check-in commands, buttons and open question, for the engine to route to."""

    def __init__(
        self, services: Services, dialog: CheckinDialog, extractor: FactExtractor | None = None
    ) -> None:
        self.services = services
        self.dialog = dialog
        self.extractor = extractor

    # The question waiting for a typed answer

    def open_question(self, turn: Turn) -> OpenQuestion | None:
        asked = checkins.asked_question(turn.session, turn.person.id)
        if asked is None:
            return None

        def answer(turn: Turn, text: str) -> bool:
            reading = turn.prepared
            model = (
                reading.reading
                if isinstance(reading, ModelReading) and reading.question_id == asked.id
                else None
            )
            return self.dialog.answer_text(turn, asked, text, model)

        return OpenQuestion(self._free_text(asked), answer, self.resume)

    def resume(self, turn: Turn) -> None:
        """Back to the check-in after an aside: the waiting question again, if any."""
        asked = checkins.asked_question(turn.session, turn.person.id)
        if asked is not None:
            self.dialog.ask(turn, asked, lead=(say("checkin_back"),))

    def read_ahead(self, incoming: Incoming, is_command: IsCommand) -> ModelReading | None:
        """When the reader is not sure of a reply, the model's reading, fetched outside
        any transaction so no database lock is held during a slow model call."""
        if not incoming.text or self.extractor is None:
            return None
        now = self.services.clock.now()
        with self.services.database.transaction() as session:
            person = people.person(session, incoming.person_id)
            asked = checkins.asked_question(session, person.id)
            word, _, rest = incoming.text.strip().partition(" ")
            if asked is None or is_command(word.lower(), rest.strip(), self._free_text(asked)):
                return None
            if asked.proposal is not None and decision(incoming.text) is not None:
                return None  # a yes / no to what was proposed
            context = reply_context(
                session, self.services.playbook, asked, local_date(now, person.timezone)
            )
            if is_sure(understand(incoming.text, context)):
                return None
            question = self.dialog.context(session, asked, now).text
            question_id, request = asked.id, ExtractionRequest(context, question, incoming.text)
        return read_with_model(self.extractor, question_id, request)

    def skip_without_question(self, turn: Turn, text: str) -> bool:
        """`skip` when nothing is asked: the question it was meant for is closed."""
        if text.partition(" ")[0].lower() != "skip":
            return False
        turn.out.send(Message.text(say("question_closed")))
        return True

    def _free_text(self, question: CheckInQuestion) -> bool:
        return self.services.playbook.field(question.field).kind in FREE_TEXT

    # Buttons

    def answer_button(self, turn: Turn, value: str) -> None:
        question = self._question(turn, value)
        if question is not None:
            self.dialog.settle(turn, question, value.partition(":")[2], "button")

    def unsure_button(self, turn: Turn, value: str) -> None:
        question = self._question(turn, value)
        if question is not None:
            self.dialog.settle(turn, question, "unknown", "button")

    def confirm_button(self, turn: Turn, value: str) -> None:
        """Yes / no / edit under a proposal."""
        question = self._question(turn, value)
        decided = decision(value.partition(":")[2])
        if question is not None and decided is not None:
            self.dialog.decide(turn, question, decided)

    def skip_button(self, turn: Turn, value: str) -> None:
        question = self._question(turn, value)
        if question is not None:
            self.dialog.skip(turn, question)

    def _question(self, turn: Turn, value: str) -> CheckInQuestion | None:
        question = checkins.question(turn.session, row_id(value.partition(":")[0]))
        if question is None or question.checkin.rep_id != turn.person.id:
            turn.out.send(Message.text(say("question_closed")))
            return None
        return question

    # Commands

    def stop(self, turn: Turn) -> None:
        if not self.dialog.stop(turn):
            turn.out.send(Message.text(say("question_closed")))

    def deals(self, turn: Turn) -> None:
        turn.out.send(views.deals_message(self._cards(turn), turn.today))

    def deal(self, turn: Turn) -> None:
        cards = self._cards(turn)
        query = turn.args
        if not query:
            example = cards[0].deal.name if cards else "Acme"
            turn.out.send(Message.text(say("deal_usage", example=example)))
            return
        matches = match_deals(query, [card.deal for card in cards])
        if len(matches) != 1:
            key = "deal_ambiguous" if matches else "deal_not_found"
            names = ", ".join(deal.name for deal in matches[:8])
            turn.out.send(Message.text(say(key, query=query, names=names)))
            return
        card = next(card for card in cards if card.deal.id == matches[0].id)
        turn.out.send(views.card_message(card))

    def _cards(self, turn: Turn) -> list:
        return open_cards(turn.session, self.services.playbook, turn.person.id, turn.now)
