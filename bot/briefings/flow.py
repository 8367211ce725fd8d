"""Briefings in chat, the same in every transport: `brief DEAL`, then Edit, Approve or
Discard (buttons, or the commands they stand for: `edit N`, `approve N`, `discard N`).

An edit is a short dialog (which section? then the new text) whose state lives in
the briefing_edits table, so any bot process can take the rep's next message.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from bot.briefings import messages as ui
from bot.briefings.drafts import (
    BriefingDrafts,
    PreparedDraft,
    content_of,
    rep_content,
    stored_leaks,
    without_questions,
)
from bot.briefings.handoff import Handoff, documents, hand_over
from bot.engine.feature import Command, Feature
from bot.engine.messages import Incoming, Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.briefing import SECTIONS, BriefingContent, SectionKey, headings
from coaching.briefing.guard import find_leaks
from coaching.matching import match_deals
from storage import briefings as store
from storage import deals, people, queries
from storage.briefings import BriefingSources, ChampionContact
from storage.models import Briefing, Deal
from storage.row_ids import row_id

EDIT_TTL = dt.timedelta(hours=2)
EDITABLE = {"draft", "blocked"}
COMMAND_LIKE = re.compile(r"^(?:edit|approve|discard|brief)\s+\S", re.IGNORECASE)
CANCEL_WORDS = {"cancel", "never mind", "nevermind"}


class BriefingFlow:
    """The briefing commands, buttons and edit dialog, declared as a feature."""

    def __init__(self, drafts: BriefingDrafts) -> None:
        self.drafts = drafts
        self.services = drafts.services

    def feature(self) -> Feature:
        return Feature(
            name="briefings",
            commands=(
                Command(("brief",), self.brief, help="help_brief"),
                Command(("edit",), self.edit),
                Command(("approve",), self.approve),
                Command(("discard",), self.discard),
            ),
            actions={
                "briefing_draft": self.draft_for_deal,
                "briefing_edit": self.edit_button,
                "briefing_section": self.section_button,
                "briefing_approve": self._approve,
                "briefing_discard": self._discard,
            },
            preparers={"brief": self.prepare_text, "briefing_draft": self.prepare_action},
            follow_ups=(self.continue_edit,),
        )

    # Drafting

    def prepare_text(self, incoming: Incoming, query: str) -> PreparedDraft | None:
        with self.services.database.transaction() as session:
            matches = match_deals(query, queries.open_deals(session, incoming.person_id))
        if len(matches) != 1:
            return None
        return self.drafts.prepare(incoming.person_id, matches[0].id)

    def prepare_action(self, incoming: Incoming, value: str) -> PreparedDraft | None:
        deal_id = row_id(value)
        return self.drafts.prepare(incoming.person_id, deal_id) if deal_id else None

    def brief(self, turn: Turn) -> None:
        """`brief DEAL`: draft a briefing for the deal's champion."""
        deal = self._deal(turn, turn.args)
        if deal is not None:
            self._draft(turn, deal)

    def draft_for_deal(self, turn: Turn, value: str) -> None:
        deal = deals.owned_open_deal(turn.session, row_id(value), turn.person.id)
        if deal is None:
            turn.out.send(Message.text(say("deal_not_found", query=value)))
            return
        self._draft(turn, deal)

    def _draft(self, turn: Turn, deal: Deal) -> None:
        sources = self.drafts.sources(turn.session, deal, turn.person, turn.now)
        prepared = turn.prepared
        if isinstance(prepared, PreparedDraft) and prepared.deal_id == deal.id:
            draft = prepared.draft
        else:
            draft = self.drafts.write(sources)
        briefing, _ = self.drafts.store(
            turn.session, deal, turn.person, sources=sources, draft=draft, now=turn.now
        )
        turn.out.send(self._draft_message(briefing, deal, sources))

    def _draft_message(self, briefing: Briefing, deal: Deal, sources: BriefingSources) -> Message:
        return ui.draft_message(
            briefing.id,
            deal.name,
            briefing.champion_name,
            content_of(briefing),
            status=briefing.status,
            leaks=stored_leaks(briefing),
            fallback=briefing.rep_content.get("fallback"),
            delivery=self._delivery_line(sources),
            emails=self._emails(sources),
        )

    def _emails(self, sources: BriefingSources) -> bool:
        champion = sources.champion
        return bool(champion and champion.email and self.services.settings.email_enabled)

    def _delivery_line(self, sources: BriefingSources) -> str:
        champion = sources.champion
        if champion is None:
            return say("brief_delivery_no_champion")
        if not champion.email:
            return say("brief_delivery_file_no_email", name=champion.name)
        if not self.services.settings.email_enabled:
            return say("brief_delivery_file_no_smtp")
        return say("brief_delivery_email", name=champion.name, email=champion.email)

    # Editing

    def edit(self, turn: Turn) -> None:
        """`edit N` asks which section; `edit N SECTION` asks for its new text."""
        number, _, section = turn.args.partition(" ")
        self._edit(turn, number, section.strip() or None)

    def edit_button(self, turn: Turn, value: str) -> None:
        self._edit(turn, value, None)

    def section_button(self, turn: Turn, value: str) -> None:
        number, _, section = value.partition(":")
        self._edit(turn, number, section)

    def _edit(self, turn: Turn, number: str, section: str | None) -> None:
        briefing = self._briefing(turn, number, "edit")
        if briefing is None:
            return
        if briefing.status not in EDITABLE:
            self._not_draft(turn, briefing, "edited")
            return
        key = parse_section(section) if section else None
        if section and key is None:
            turn.out.send(
                Message.text(say("edit_unknown_section", text=section, count=len(SECTIONS)))
            )
            return
        store.start_edit(turn.session, turn.person.id, briefing.id, key, turn.now)
        if key is None:
            turn.out.send(ui.pick_section_message(briefing.id))
        else:
            turn.out.send(ui.send_text_message(briefing.id, key, content_of(briefing)))

    def continue_edit(self, turn: Turn, text: str) -> bool:
        """The rep's text while an edit waits: a section, then the new text."""
        session = turn.session
        edit = store.open_edit(session, turn.person.id)
        if edit is None or COMMAND_LIKE.match(text):
            return False
        briefing = store.find(session, edit.briefing_id)
        if (
            briefing is None
            or briefing.status not in EDITABLE
            or turn.now - edit.started_at > EDIT_TTL
        ):
            store.end_edit(session, turn.person.id)
            return False
        if text.strip().lower() in CANCEL_WORDS:
            store.end_edit(session, turn.person.id)
            turn.out.send(Message.text(say("edit_cancelled", id=briefing.id)))
            return True
        if edit.section is None:
            key = parse_section(text)
            if key is None:
                turn.out.send(
                    Message.text(say("edit_unknown_section", text=text, count=len(SECTIONS)))
                )
                return True
            edit.section = key
            turn.out.send(ui.send_text_message(briefing.id, key, content_of(briefing)))
            return True
        self._replace_section(turn, briefing, edit.section, text)  # type: ignore[arg-type]
        return True

    def _replace_section(self, turn: Turn, briefing: Briefing, key: SectionKey, text: str) -> None:
        heading = headings()[key]
        try:
            content = content_of(briefing).with_section(key, text)
        except ValidationError as exc:
            problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
            turn.out.send(
                Message.text(say("edit_rejected_invalid", heading=heading, problem=problem))
            )
            return
        deal = deals.deal(turn.session, briefing.deal_id)
        sources = self.drafts.sources(turn.session, deal, turn.person, turn.now)
        content = without_questions(content, self.drafts.template.answered_by(sources.view, key))
        public = [*sources.view.texts(), *self.drafts.public_texts(sources)]
        own_leaks = find_leaks(text, sources.internal, public)
        if own_leaks:
            reasons = ui.leak_reasons(own_leaks)
            turn.out.send(Message.text(say("edit_rejected_leak", reasons=reasons, heading=heading)))
            return
        leaks = self.drafts.leaks(content, sources)
        briefing.shared_content = content.shared.model_dump(mode="json")
        briefing.rep_content = rep_content(content, leaks, briefing.rep_content.get("fallback"))
        briefing.status = "blocked" if leaks else "draft"
        briefing.updated_at = turn.now
        store.end_edit(turn.session, turn.person.id)
        turn.out.send(Message.text(say("edit_saved", heading=heading)))
        turn.out.send(self._draft_message(briefing, deal, sources))

    # Approving and discarding

    def approve(self, turn: Turn) -> None:
        self._approve(turn, turn.args)

    def _approve(self, turn: Turn, number: str) -> None:
        briefing = self._briefing(turn, number, "approve")
        if briefing is None:
            return
        if briefing.status == "blocked":
            self._blocked(turn, briefing)
            return
        if briefing.status != "draft":
            self._not_draft(turn, briefing, "approved")
            return
        session = turn.session
        deal = deals.deal(session, briefing.deal_id)
        rep = (people.find(session, deal.owner_id) if deal.owner_id else None) or turn.person
        sources = self.drafts.sources(session, deal, rep, turn.now)
        content = content_of(briefing)
        leaks = self.drafts.leaks(content, sources)
        if leaks:  # the deal's internal data changed since the draft was checked
            briefing.status = "blocked"
            briefing.rep_content = rep_content(content, leaks, briefing.rep_content.get("fallback"))
            self._blocked(turn, briefing)
            return
        if not store.claim_approval(session, briefing, turn.person.id, turn.now):
            self._not_draft(turn, briefing, "approved")
            return
        store.end_edit(session, turn.person.id)
        champion = sources.champion
        docs = documents(content, champion.name if champion else None, rep, turn.today)
        handoff = hand_over(
            session,
            self.services.settings,
            briefing=briefing,
            deal=deal,
            rep=rep,
            champion=champion,
            docs=docs,
            now=turn.now,
        )
        turn.out.send(Message.text(self._approved_text(briefing, champion, handoff, content)))

    def _approved_text(
        self,
        briefing: Briefing,
        champion: ChampionContact | None,
        handoff: Handoff,
        content: BriefingContent,
    ) -> str:
        name = champion.name if champion else say("brief_champion_unknown")
        if handoff.via == "email":
            text = say("approved_email", id=briefing.id, name=name, email=handoff.email)
        else:
            why = (
                say("approved_files_no_smtp")
                if champion and champion.email
                else say("approved_files_no_email", name=name)
            )
            text = say(
                "approved_files",
                why=why,
                name=name,
                markdown=handoff.markdown_path,
                html=handoff.html_path,
            )
        return f"{text}\n" + say("brief_offer", text=content.rep.offer)

    def discard(self, turn: Turn) -> None:
        self._discard(turn, turn.args)

    def _discard(self, turn: Turn, number: str) -> None:
        briefing = self._briefing(turn, number, "discard")
        if briefing is None:
            return
        if briefing.status not in EDITABLE:
            self._not_draft(turn, briefing, "discarded")
            return
        briefing.status, briefing.updated_at = "discarded", turn.now
        store.end_edit(turn.session, turn.person.id)
        turn.out.send(Message.text(say("discarded", id=briefing.id)))

    # Lookups and shared replies

    def _briefing(self, turn: Turn, number: str, command: str) -> Briefing | None:
        """The briefing numbered `number`, when the rep owns its deal now (finding 13:
        rights follow the deal's current owner, not who asked for the briefing)."""
        number = number.strip().lstrip("#")
        if not number.isdecimal():
            example = store.latest_requested(turn.session, turn.person.id) or 1
            turn.out.send(Message.text(say("briefing_id_usage", command=command, example=example)))
            return None
        wanted = row_id(number)
        briefing = store.briefing_of_owner(turn.session, wanted, turn.person.id) if wanted else None
        if briefing is not None:
            return briefing
        turn.out.send(Message.text(say("briefing_not_found", id=number)))
        return None

    def _deal(self, turn: Turn, query: str) -> Deal | None:
        open_deals = queries.open_deals(turn.session, turn.person.id)
        if not query.strip():
            example = open_deals[0].name if open_deals else "Acme"
            turn.out.send(Message.text(say("brief_usage", example=example)))
            return None
        matches = match_deals(query, open_deals)
        if len(matches) != 1:
            key = "deal_ambiguous" if matches else "deal_not_found"
            names = ", ".join(deal.name for deal in matches[:8])
            turn.out.send(Message.text(say(key, query=query.strip(), names=names)))
            return None
        return deals.deal(turn.session, matches[0].id)

    def _not_draft(self, turn: Turn, briefing: Briefing, verb: str) -> None:
        turn.out.send(
            Message.text(
                say("briefing_not_draft", id=briefing.id, status=briefing.status, verb=verb)
            )
        )

    def _blocked(self, turn: Turn, briefing: Briefing) -> None:
        reasons = ui.leak_reasons(stored_leaks(briefing))
        turn.out.send(Message.text(say("briefing_is_blocked", id=briefing.id, reasons=reasons)))


def parse_section(text: str) -> SectionKey | None:
    """A section from its number, key or heading ("3", "why_now", "why now", "Why now")."""
    wanted = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    if wanted.isdecimal():
        index = int(wanted) - 1
        return SECTIONS[index] if 0 <= index < len(SECTIONS) else None
    titles = headings()
    for key in SECTIONS:
        names = {key.replace("_", " "), " ".join(re.findall(r"[a-z0-9]+", titles[key].lower()))}
        if wanted in names:
            return key
    return None
