"""What the clock does for briefings: suggest one when a decision is near, and follow
approved briefings through the email outbox.

A suggestion is claimed in briefing_suggestions (one row per deal), in the same
transaction as the message that makes it, so it is made once per deal whatever the
number of bot processes.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from bot.briefings import messages as ui
from bot.briefings.drafts import content_of
from bot.briefings.handoff import documents, email_key, mark_delivered_as_files, save_files
from bot.engine.messages import Message
from bot.engine.outgoing import OutboxEntry, enqueue
from bot.engine.replies import say
from bot.infra.recipients import Recipients
from bot.infra.services import Services
from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN
from storage import briefings as store
from storage import deals, outbox, people
from storage.models import Briefing, Deal, OutboxMessage, Person
from storage.queries import answers_for

log = logging.getLogger(__name__)


class BriefingRounds:
    def __init__(self, services: Services, recipients: Recipients) -> None:
        self.services = services
        self.window = dt.timedelta(days=services.settings.briefing_suggest_days)
        self.recipients = recipients

    def tick(self, now: dt.datetime) -> None:
        self.suggest(now)
        self.settle_emails(now)

    def suggest(self, now: dt.datetime) -> int:
        """Suggest a briefing to the owner of each open deal whose decision date (else
        close date) is within the window and whose champion is known; once per deal."""
        today = now.date()
        with self.services.database.transaction() as session:
            due = self._due(session, today)
            if not due:
                return 0
            claimed = store.claim_suggestions(session, [deal for deal, _, _ in due], now)
            owners = [deal.owner_id for deal, _, _ in due if deal.id in claimed and deal.owner_id]
            addresses = self.recipients.people(session, owners)
            for deal, champion, decision in due:
                if deal.id not in claimed or deal.owner_id is None:
                    continue
                message = ui.suggestion_message(deal.id, deal.name, champion, decision, today)
                entry = OutboxEntry(
                    f"briefing-suggestion:{deal.id}", addresses[deal.owner_id], message
                )
                enqueue(session, [entry], now)
            return len(claimed)

    def _due(self, session: Session, today: dt.date) -> list[tuple[Deal, str, dt.date]]:
        candidates = store.suggestion_candidates(session)
        history: dict[int, list[AnswerFact]] = {}
        for answer in answers_for(session, [deal.id for deal in candidates]):
            history.setdefault(answer.deal_id, []).append(answer)
        due = []
        for deal in candidates:
            if deal.paused_until and today < deal.paused_until:
                continue
            latest = latest_answers(history.get(deal.id, []))
            champion = latest.get("champion")
            decision = _decision_date(latest.get("decision_date"), deal.close_date)
            if champion is None or champion.value == UNKNOWN or decision is None:
                continue
            if today <= decision <= today + self.window:
                due.append((deal, champion.value, decision))
        return due

    def settle_emails(self, now: dt.datetime) -> int:
        """Approved briefings whose email was sent become delivered (the rep is told);
        when the outbox gave up on the email, the rep gets the files instead."""
        settled = 0
        with self.services.database.transaction() as session:
            for briefing in store.awaiting_email(session):
                row = outbox.message(session, email_key(briefing.id))
                if row is None or row.status == "pending":
                    continue
                deal = deals.deal(session, briefing.deal_id)
                rep = people.person(session, deal.owner_id or briefing.requested_by)
                if row.status == "sent":
                    briefing.status, briefing.delivered_at = "delivered", row.sent_at or now
                    text = say(
                        "email_sent",
                        id=briefing.id,
                        deal=deal.name,
                        name=briefing.champion_name,
                        email=briefing.delivered_to,
                    )
                else:
                    text = self._fall_back_to_files(briefing, deal, rep, row, now)
                self._tell(session, rep.id, f"briefing:{briefing.id}:settled", text, now)
                settled += 1
        return settled

    def _fall_back_to_files(
        self, briefing: Briefing, deal: Deal, rep: Person, row: OutboxMessage, now: dt.datetime
    ) -> str:
        log.error("briefing %d: the email failed (%s); saved as files", briefing.id, row.last_error)
        docs = documents(content_of(briefing), briefing.champion_name, rep, now.date())
        markdown, html = save_files(self.services.settings.data_dir, deal, briefing.id, docs)
        email = briefing.delivered_to
        mark_delivered_as_files(briefing, html, now)
        error = (row.last_error or row.status)[:200]
        return say(
            "email_failed", id=briefing.id, email=email, error=error, markdown=markdown, html=html
        )

    def _tell(
        self, session: Session, person_id: int, key: str, text: str, now: dt.datetime
    ) -> None:
        entry = OutboxEntry(key, self.recipients.person(session, person_id), Message.text(text))
        enqueue(session, [entry], now)


def _decision_date(answer: AnswerFact | None, close_date: dt.date | None) -> dt.date | None:
    """The decision date the rep gave, else the CRM close date."""
    if answer is not None and answer.value != UNKNOWN:
        try:
            return dt.date.fromisoformat(answer.value)
        except ValueError:
            pass
    return close_date
