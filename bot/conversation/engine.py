"""The channel-neutral dialog engine: an incoming message becomes replies.

Every transport (console, Slack, Teams) resolves who is talking, hands the engine an
`Incoming`, and renders the `Message`s it returns. The engine is synchronous; async
transports call it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.app import Services
from bot.conversation import views
from bot.conversation.messages import Incoming, Message
from bot.conversation.replies import say
from coaching.matching import match_deals
from coaching.model import answers_by_deal
from coaching.qualification import QualificationCard, build_card
from storage import queries

Handler = Callable[[int, str], list[Message]]


class ConversationEngine:
    """Routes commands to use cases; one instance serves every transport."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._commands: dict[str, Handler] = {
            "help": self._help,
            "deals": self._deals,
            "deal": self._deal,
        }

    def handle(self, incoming: Incoming) -> list[Message]:
        text = (incoming.text or "").strip()
        if not text:
            return [Message.text(say("empty_input"))]
        word, _, rest = text.partition(" ")
        handler = self._commands.get(word.lower())
        if handler is None:
            return [Message.text(say("unknown_command", text=text))]
        return handler(incoming.person_id, rest.strip())

    def _help(self, _person_id: int, _rest: str) -> list[Message]:
        return [Message.text(say("help"))]

    def _deals(self, person_id: int, _rest: str) -> list[Message]:
        return [views.deals_message(self._cards(person_id))]

    def _deal(self, person_id: int, query: str) -> list[Message]:
        cards = self._cards(person_id)
        if not query:
            example = cards[0].deal.name if cards else "Acme"
            return [Message.text(say("deal_usage", example=example))]
        matches = match_deals(query, [card.deal for card in cards])
        if not matches:
            return [Message.text(say("deal_not_found", query=query))]
        if len(matches) > 1:
            names = ", ".join(deal.name for deal in matches[:8])
            return [Message.text(say("deal_ambiguous", query=query, names=names))]
        card = next(card for card in cards if card.deal.id == matches[0].id)
        return [views.card_message(card)]

    def _cards(self, person_id: int) -> list[QualificationCard]:
        now = self.services.clock.now()
        with self.services.database.transaction() as session:
            deals = queries.open_deals(session, person_id)
            answers = queries.answers_for(session, [deal.id for deal in deals])
        history = answers_by_deal(answers)
        playbook = self.services.playbook
        return [build_card(playbook, deal, history.get(deal.id, []), now) for deal in deals]
