"""What the clock does for briefings: suggest one when a decision is near, and follow
approved briefings through the email outbox.

A suggestion is claimed in briefing_suggestions (one row per deal), in the same
transaction as the message that makes it, so it is made once per deal whatever the
number of bot processes.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bootstrap import Services
from bot.briefings import messages as ui
from bot.briefings.drafts import content_of
from bot.briefings.handoff import documents, email_key, mark_delivered_as_files, save_files
from bot.engine.messages import Message
from bot.engine.outgoing import person_address
from bot.engine.replies import say
from bot.infra.recipients import default_transport, enabled_platforms, transports_for
from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN
from storage import briefings as store
from storage import outbox
from storage.models import Answer, Briefing, BriefingSuggestion, Deal, OutboxMessage, Person
from storage.queries import answers_for
from storage.upsert import insert_ignoring_conflicts

log = logging.getLogger(__name__)


class BriefingRounds:
    def __init__(self, services: Services) -> None:
        self.services = services
        settings = services.settings
        self.window = dt.timedelta(days=settings.briefing_suggest_days)
        self.default_transport = default_transport(settings)
        self.platforms = enabled_platforms(settings)

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
            rows = [
                {"deal_id": deal.id, "person_id": deal.owner_id, "suggested_at": now}
                for deal, _, _ in due
            ]
            claimed = set(insert_ignoring_conflicts(session, BriefingSuggestion, rows, ["deal_id"]))
            owners = [deal.owner_id for deal, _, _ in due if deal.id in claimed]
            transports = transports_for(session, owners, self.default_transport, self.platforms)  # type: ignore[arg-type]
            for deal, champion, decision in due:
                if deal.id not in claimed or deal.owner_id is None:
                    continue
                message = ui.suggestion_message(deal.id, deal.name, champion, decision, today)
                outbox.enqueue(
                    session,
                    key=f"briefing-suggestion:{deal.id}",
                    transport=transports[deal.owner_id],
                    recipient=person_address(deal.owner_id),
                    kind="message",
                    payload={"message": message.model_dump(mode="json"), "replaces": None},
                    now=now,
                )
            return len(claimed)

    def _due(self, session: Session, today: dt.date) -> list[tuple[Deal, str, dt.date]]:
        suggested = select(BriefingSuggestion.deal_id)
        briefed = select(Briefing.deal_id).where(Briefing.status != "discarded")
        with_champion = select(Answer.deal_id).where(Answer.field == "champion")
        deals = list(
            session.scalars(
                select(Deal).where(
                    Deal.status == "open",
                    Deal.owner_id.is_not(None),
                    Deal.id.in_(with_champion),
                    Deal.id.not_in(suggested),
                    Deal.id.not_in(briefed),
                )
            )
        )
        history: dict[int, list[AnswerFact]] = {}
        for answer in answers_for(session, [deal.id for deal in deals]):
            history.setdefault(answer.deal_id, []).append(answer)
        due = []
        for deal in deals:
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
                row = session.scalar(
                    select(OutboxMessage).where(OutboxMessage.key == email_key(briefing.id))
                )
                if row is None or row.status == "pending":
                    continue
                deal = session.get_one(Deal, briefing.deal_id)
                rep = session.get_one(Person, deal.owner_id or briefing.requested_by)
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
        transport = transports_for(session, [person_id], self.default_transport, self.platforms)[
            person_id
        ]
        outbox.enqueue(
            session,
            key=key,
            transport=transport,
            recipient=person_address(person_id),
            kind="message",
            payload={"message": Message.text(text).model_dump(mode="json"), "replaces": None},
            now=now,
        )


def _decision_date(answer: AnswerFact | None, close_date: dt.date | None) -> dt.date | None:
    """The decision date the rep gave, else the CRM close date."""
    if answer is not None and answer.value != UNKNOWN:
        try:
            return dt.date.fromisoformat(answer.value)
        except ValueError:
            pass
    return close_date
