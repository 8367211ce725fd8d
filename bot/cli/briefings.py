"""`dealcoach brief DEAL [--print]`: a champion briefing draft on the command line."""

from __future__ import annotations

from typing import Annotated

import typer

Print = Annotated[bool, typer.Option("--print", help="Only print the draft; save nothing.")]


def brief(
    deal: Annotated[str, typer.Argument(help="Part of the deal's name, or its CRM id.")],
    print_only: Print = False,
) -> None:
    """Draft a one-page briefing for a deal's champion, with the rep's talk track.

    Without --print the draft is also saved for the deal's owner, who can edit and
    approve it in chat (`approve N`). Nothing is sent from here.
    """
    from bot.briefings.drafts import BriefingDrafts, build_writer
    from bot.briefings.messages import leak_reasons
    from bot.cli.common import fail, seed_demo_if_empty, services_or_exit
    from bot.engine.turn import local_today
    from coaching.briefing import render_markdown
    from coaching.matching import match_deals
    from storage.models import Deal, Person
    from storage.queries import deal_facts

    services = services_or_exit()
    seed_demo_if_empty(services)
    drafts = BriefingDrafts(services, build_writer(services.settings))
    now = services.clock.now()
    with services.database.transaction() as session:
        deals = [deal_facts(row) for row in session.query(Deal).filter(Deal.status == "open")]
        matches = match_deals(deal, deals)
        if len(matches) != 1:
            names = ", ".join(sorted(match.name for match in (matches or deals))[:8])
            what = "several open deals" if matches else "no open deal"
            fail(f"{deal!r} matches {what}; try one of: {names}")
        record = session.get_one(Deal, matches[0].id)
        rep = session.get(Person, record.owner_id) if record.owner_id else None
        if rep is None:
            fail(f"{record.name} has no owner: import the team, then assign the deal")
        sources = drafts.sources(session, record, rep, now)
    draft = drafts.write(sources)
    champion = sources.champion.name if sources.champion else None
    if draft.fallback_reason:
        typer.echo(f"dealcoach: the model did not answer ({draft.fallback_reason})", err=True)
    typer.echo(
        render_markdown(
            draft.content,
            champion=champion,
            rep_name=rep.name,
            prepared_on=local_today(rep, now),
            rep_notes=True,
        )
    )
    if draft.blocked:
        typer.echo(
            f"dealcoach: BLOCKED, internal information: {leak_reasons(draft.leaks)}", err=True
        )
    if not print_only:
        with services.database.transaction() as session:
            record = session.get_one(Deal, record.id)
            owner = session.get_one(Person, rep.id)
            sources = drafts.sources(session, record, owner, now)
            briefing, _ = drafts.store(
                session, record, owner, sources=sources, draft=draft, now=now
            )
            typer.echo(
                f"Saved as {briefing.status} #{briefing.id} for {owner.name}: "
                f"review it in chat with `edit {briefing.id}`, `approve {briefing.id}`."
            )
    if draft.blocked:
        raise typer.Exit(1)
