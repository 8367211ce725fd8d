"""`dealcoach brief DEAL [--print]`: a champion briefing draft on the command line."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.briefings.drafts import BriefingDrafts
    from bot.infra.services import Services
    from coaching.briefing import Draft
    from storage.briefings import BriefingSources
    from storage.models import Deal, Person

Print = Annotated[bool, typer.Option("--print", help="Only print the draft; save nothing.")]


def brief(
    deal: Annotated[str, typer.Argument(help="Part of the deal's name, or its CRM id.")],
    print_only: Print = False,
) -> None:
    """Draft a one-page briefing for a deal's champion, with the rep's talk track.

    Without --print the draft is also saved for the deal's owner, who can edit and
    approve it in chat (`approve N`). Nothing is sent from here.
    """
    from bot.bootstrap import build_app
    from bot.briefings.drafts import BriefingDrafts
    from bot.cli.common import seed_demo_if_empty, services_or_exit

    services = services_or_exit()
    seed_demo_if_empty(services)
    drafts = build_app(services).part(BriefingDrafts)
    now = services.clock.now()
    with services.database.transaction() as session:
        record, rep = _deal_and_owner(session, deal)
        sources = drafts.sources(session, record, rep, now)
    draft = drafts.write(sources)
    _print(draft, sources, rep, now)
    if not print_only:
        _save(services, drafts, draft, deal_id=record.id, rep_id=rep.id, now=now)
    if draft.blocked:
        raise typer.Exit(1)


def _deal_and_owner(session: Session, query: str) -> tuple[Deal, Person]:
    """The one open deal matching `query`, and its owner (else a clear error and exit)."""
    from bot.cli.common import fail
    from coaching.matching import match_deals
    from storage import deals, people
    from storage.queries import deal_facts

    facts = [deal_facts(row) for row in deals.open_deals(session)]
    matches = match_deals(query, facts)
    if len(matches) != 1:
        names = ", ".join(sorted(match.name for match in (matches or facts))[:8])
        what = "several open deals" if matches else "no open deal"
        fail(f"{query!r} matches {what}; try one of: {names}")
    record = deals.deal(session, matches[0].id)
    rep = people.find(session, record.owner_id) if record.owner_id else None
    if rep is None:
        fail(f"{record.name} has no owner: import the team, then assign the deal")
    return record, rep


def _print(draft: Draft, sources: BriefingSources, rep: Person, now: dt.datetime) -> None:
    """The draft as Markdown, with the rep's notes; why it is blocked, if it is."""
    from bot.briefings.messages import leak_reasons
    from bot.infra.local_time import local_date
    from coaching.briefing import render_markdown

    champion = sources.champion.name if sources.champion else None
    if draft.fallback_reason:
        typer.echo(f"dealcoach: the model did not answer ({draft.fallback_reason})", err=True)
    typer.echo(
        render_markdown(
            draft.content,
            champion=champion,
            rep_name=rep.name,
            prepared_on=local_date(now, rep.timezone),
            rep_notes=True,
        )
    )
    if draft.blocked:
        typer.echo(
            f"dealcoach: BLOCKED, internal information: {leak_reasons(draft.leaks)}", err=True
        )


def _save(
    services: Services,
    drafts: BriefingDrafts,
    draft: Draft,
    *,
    deal_id: int,
    rep_id: int,
    now: dt.datetime,
) -> None:
    """Store the draft for the deal's owner (checked again against the deal as it is now)."""
    from storage import deals, people

    with services.database.transaction() as session:
        record = deals.deal(session, deal_id)
        owner = people.person(session, rep_id)
        sources = drafts.sources(session, record, owner, now)
        briefing, _ = drafts.store(session, record, owner, sources=sources, draft=draft, now=now)
        typer.echo(
            f"Saved as {briefing.status} #{briefing.id} for {owner.name}: "
            f"review it in chat with `edit {briefing.id}`, `approve {briefing.id}`."
        )
