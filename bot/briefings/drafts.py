"""Drafting and storing briefings: the writer runs outside any transaction.

`prepare` reads a deal's sources in a short transaction, then lets the writer (a model
can take seconds) work with no database lock held. What is stored is checked again
against the deal's internal values at the moment it is stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.infra.local_time import local_date
from bot.infra.services import Services
from coaching.briefing import (
    BriefingContent,
    BriefingWriter,
    DeterministicWriter,
    Draft,
    Leak,
    SellerProfile,
    check_briefing,
    load_seller_profile,
    write_briefing,
)
from coaching.briefing.content import RepNotes, SharedBriefing
from coaching.risk.wording import DEFAULT_WORDING
from storage import briefings, deals, people
from storage.briefings import BriefingSources, briefing_sources
from storage.models import Briefing, Deal, Person

log = logging.getLogger(__name__)
RISK_WORDING = DEFAULT_WORDING.read_text(encoding="utf-8")  # the warnings' own words


@dataclass(frozen=True, slots=True)
class PreparedDraft:
    """A draft written before the transaction that stores it."""

    deal_id: int
    draft: Draft


class BriefingDrafts:
    """Writes, checks and stores drafts; one instance per process."""

    def __init__(self, services: Services, writer: BriefingWriter | None = None) -> None:
        self.services = services
        path = services.settings.seller_path
        self.seller: SellerProfile | None = load_seller_profile(path) if path else None
        self.template = DeterministicWriter()
        self.writer: BriefingWriter = writer or self.template

    def public_texts(self, sources: BriefingSources) -> list[str]:
        """What never blocks besides the view: the writers' words, the risk warnings'
        wording and the labels the product put into the deal's records."""
        return [*self.fixed_texts, RISK_WORDING, *sources.public]

    @property
    def fixed_texts(self) -> list[str]:
        """The writers' own words, public to the guard (the seller profile is public
        through the view)."""
        return list(dict.fromkeys([self.writer.fixed_text, self.template.fixed_text]))

    def sources(
        self, session: Session, deal: Deal, rep: Person, now: dt.datetime
    ) -> BriefingSources:
        playbook = self.services.playbook
        today = local_date(now, rep.timezone)
        return briefing_sources(
            session, playbook, deal, rep=rep, now=now, today=today, seller=self.seller
        )

    def write(self, sources: BriefingSources) -> Draft:
        fallback = None if self.writer is self.template else self.template
        public = [RISK_WORDING, *sources.public]
        return write_briefing(sources.view, sources.internal, self.writer, fallback, public)

    def prepare(self, person_id: int, deal_id: int) -> PreparedDraft | None:
        """Read the deal's sources, then write a draft with no transaction open."""
        now = self.services.clock.now()
        with self.services.database.transaction() as session:
            deal = deals.find(session, deal_id)
            person = people.find(session, person_id)
            if deal is None or person is None or deal.status != "open":
                return None
            sources = self.sources(session, deal, person, now)
        return PreparedDraft(deal_id, self.write(sources))

    def leaks(self, content: BriefingContent, sources: BriefingSources) -> tuple[Leak, ...]:
        return check_briefing(content, sources.view, sources.internal, self.public_texts(sources))

    def store(
        self,
        session: Session,
        deal: Deal,
        person: Person,
        *,
        sources: BriefingSources,
        draft: Draft,
        now: dt.datetime,
    ) -> tuple[Briefing, tuple[Leak, ...]]:
        """Save a draft (checked again now); blocked when it holds any internal value."""
        leaks = self.leaks(draft.content, sources)
        champion = sources.champion
        briefing = briefings.add(
            session,
            Briefing(
                deal_id=deal.id,
                requested_by=person.id,
                status="blocked" if leaks else "draft",
                writer=draft.writer,
                champion_name=champion.name if champion else None,
                champion_email=champion.email if champion else None,
                shared_content=draft.content.shared.model_dump(mode="json"),
                rep_content=rep_content(draft.content, leaks, draft.fallback_reason),
                created_at=now,
                updated_at=now,
            ),
        )
        if leaks:
            log.warning("briefing %d for deal %d blocked: %s", briefing.id, deal.id, leaks)
        return briefing, leaks


def rep_content(
    content: BriefingContent, leaks: tuple[Leak, ...], fallback: str | None = None
) -> dict[str, Any]:
    return {
        "notes": content.rep.model_dump(mode="json"),
        "leaks": [[leak.source, leak.fragment] for leak in leaks],
        "fallback": fallback,
    }


def content_of(briefing: Briefing) -> BriefingContent:
    return BriefingContent(
        shared=SharedBriefing.model_validate(briefing.shared_content),
        rep=RepNotes.model_validate(briefing.rep_content["notes"]),
    )


def without_questions(content: BriefingContent, answered: set[str]) -> BriefingContent:
    """The content without the rep's questions just answered by an edit."""
    remaining = [item for item in content.rep.questions_for_rep if item not in answered]
    rep = content.rep.model_copy(update={"questions_for_rep": remaining})
    return content.model_copy(update={"rep": rep})


def stored_leaks(briefing: Briefing) -> tuple[Leak, ...]:
    return tuple(
        Leak(source, fragment) for source, fragment in briefing.rep_content.get("leaks", [])
    )
