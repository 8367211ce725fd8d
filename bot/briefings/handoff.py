"""An approved briefing leaves: by email through the outbox, or as files for the rep.

Only `approve` hands a briefing over, and only after the conditional update that
records who approved it and when (storage.briefings.claim_approval): nothing reaches
a champion without that row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.engine.messages import Message
from bot.engine.outgoing import EmailPart, OutboxEntry, enqueue
from bot.engine.replies import say
from bot.infra.private_files import PRIVATE_DIR, PRIVATE_FILE
from bot.infra.recipients import email_to
from bot.settings import Settings
from coaching.briefing import BriefingContent, render_html, render_markdown
from storage.briefings import ChampionContact
from storage.models import Briefing, Deal, Person


@dataclass(frozen=True, slots=True)
class Documents:
    markdown: str
    html: str


@dataclass(frozen=True, slots=True)
class Handoff:
    """How an approved briefing left: `email` (queued) or `file` (paths)."""

    via: str
    email: str | None = None
    markdown_path: Path | None = None
    html_path: Path | None = None


def documents(
    content: BriefingContent, champion: str | None, rep: Person, on: dt.date
) -> Documents:
    return Documents(
        markdown=render_markdown(content, champion=champion, rep_name=rep.name, prepared_on=on),
        html=render_html(content, champion=champion, rep_name=rep.name, prepared_on=on),
    )


def hand_over(
    session: Session,
    settings: Settings,
    *,
    briefing: Briefing,
    deal: Deal,
    rep: Person,
    champion: ChampionContact | None,
    docs: Documents,
    now: dt.datetime,
) -> Handoff:
    """Email the approved briefing when the champion has a shareable email and SMTP is
    set up; otherwise save it as files for the rep."""
    if champion and champion.email and settings.email_enabled:
        subject = say("email_subject", headline=briefing.shared_content["headline"])
        email = EmailPart(
            subject=subject,
            text=docs.markdown,
            html=docs.html,
            to_name=champion.name,
            reply_to=rep.email,
            reply_to_name=rep.name,
        )
        entry = OutboxEntry(
            email_key(briefing.id),
            email_to(champion.email),
            Message.text(subject),
            email=email,
        )
        enqueue(session, [entry], now)
        briefing.delivered_via, briefing.delivered_to = "email", champion.email
        return Handoff("email", email=champion.email)
    markdown, html = save_files(settings.data_dir, deal, briefing.id, docs)
    mark_delivered_as_files(briefing, html, now)
    return Handoff("file", markdown_path=markdown, html_path=html)


def mark_delivered_as_files(briefing: Briefing, html: Path, now: dt.datetime) -> None:
    briefing.status, briefing.delivered_via = "delivered", "file"
    briefing.delivered_to, briefing.delivered_at = str(html)[:320], now


def save_files(data_dir: Path, deal: Deal, briefing_id: int, docs: Documents) -> tuple[Path, Path]:
    """`<data dir>/briefings/<deal>-<id>.md` and `.html`; returns both absolute paths."""
    folder = (data_dir / "briefings").resolve()
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    stem = f"{re.sub(r'[^a-z0-9]+', '-', deal.name.lower()).strip('-') or 'deal'}-{briefing_id}"
    markdown, html = folder / f"{stem}.md", folder / f"{stem}.html"
    for path, text in ((markdown, docs.markdown), (html, docs.html)):
        path.write_text(text, encoding="utf-8")
        path.chmod(PRIVATE_FILE)  # internal until the rep hands it over
    return markdown, html


def email_key(briefing_id: int) -> str:
    return f"briefing:{briefing_id}:email"
