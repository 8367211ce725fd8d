"""`dealcoach playbook try FIELD "TEXT"`: how the bot reads a reply, for playbook
authors adding aliases for their team's language."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.infra.services import Services
    from coaching.playbook import Playbook
    from coaching.understanding import ProposedFact, Reading
    from coaching.understanding.context import KnownPerson

playbook_app = typer.Typer(
    help="Work on the qualification playbook.", no_args_is_help=True, add_completion=False
)


def register(app: typer.Typer) -> None:
    """Add the `playbook` group to the `dealcoach` command."""
    app.add_typer(playbook_app, name="playbook")


@playbook_app.command("try")
def try_reply(
    field: Annotated[str, typer.Argument(help="The field asked, e.g. money or champion.")],
    text: Annotated[str, typer.Argument(help="The reply, as a rep would type it.")],
    deal: Annotated[
        str | None, typer.Option(help="Read it against this open deal's known people.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print how the bot reads a reply: the facts, their confidence, what it would do next."""
    import datetime as dt

    from bot.cli.common import fail, services_or_exit, settings_or_exit
    from coaching.playbook import PlaybookError, load_playbook
    from coaching.understanding import ReplyContext, understand

    settings = settings_or_exit()
    try:
        playbook = load_playbook(settings.playbook_path)
    except PlaybookError as exc:
        fail(str(exc))
    if field not in playbook.by_key:
        fail(f"the playbook has no field {field!r}; its fields: {', '.join(playbook.by_key)}")
    people: tuple[KnownPerson, ...] = ()
    if deal is not None:
        people = _deal_people(services_or_exit(), deal)
    context = ReplyContext(playbook, field, dt.date.today(), people=people)
    reading = understand(text, context)
    step = next_step(playbook, field, reading)
    if as_json:
        typer.echo(json.dumps({"reply": text, "reading": reading.to_dict(), "next": step}))
        return
    typer.echo(f"{playbook.field(field).label}: “{text}”")
    for line in describe(playbook, reading):
        typer.echo(f"  {line}")
    typer.echo(f"next: {step}")


def _deal_people(services: Services, name: str) -> tuple[KnownPerson, ...]:
    """The known people of the open deal `name` names (exactly one, or a clear error)."""
    from bot.cli.common import fail
    from coaching.matching import match_deals
    from coaching.understanding.context import KnownPerson
    from storage import question_context

    with services.database.transaction() as session:
        deals = question_context.all_open_deals(session)
        matches = match_deals(name, deals)
        if len(matches) != 1:
            names = ", ".join(deal.name for deal in matches[:8])
            fail(
                f"“{name}” matches several open deals: {names}"
                if matches
                else f"no open deal matches “{name}”"
            )
        return tuple(
            KnownPerson(person, title)
            for person, title in question_context.stakeholders(session, matches[0].id)
        )


def describe(playbook: Playbook, reading: Reading) -> list[str]:
    """What the reader made of the reply, one line per fact or outcome."""
    from coaching.understanding import Answered, Correction, Unclear, explain

    if isinstance(reading, Answered | Correction):
        if isinstance(reading, Correction) and not reading.facts:
            return [f"a correction of {reading.field} that could not be read ({reading.reason})"]
        lead = "a correction: " if isinstance(reading, Correction) else ""
        return [lead + _fact_line(playbook, fact) for fact in reading.facts]
    if isinstance(reading, Unclear):
        lines = [
            f"not read ({reading.reason}): {explain(reading.reason, playbook.field(reading.field))}"
        ]
        lines += [
            f"guess (never recorded): {_fact_line(playbook, fact)}" for fact in reading.guesses
        ]
        lines += [_fact_line(playbook, fact) for fact in reading.extras]
        return lines
    return [f"not an answer: {reading.kind}"]


def _fact_line(playbook: Playbook, fact: ProposedFact) -> str:
    spec = playbook.field(fact.field)
    parts = [f"{spec.label} = {spec.display(fact.value)} [{fact.confidence}]"]
    if fact.date:
        parts.append(f"date {fact.date.isoformat()}")
    if fact.hedge:
        parts.append(f"hedge “{fact.hedge}”")
    parts.append(f"from “{fact.words}”")
    return ", ".join(parts)


def next_step(playbook: Playbook, field: str, reading: Reading) -> str:
    """What the check-in would do with the reply."""
    from bot.checkins.proposals import Proposal, confirm_message, shown
    from bot.engine.replies import say
    from coaching.understanding import Answered, Command, Correction, Unclear, explain

    spec = playbook.field(field)
    if isinstance(reading, Answered | Correction) and reading.facts:
        facts = tuple(fact for fact in reading.facts if fact.confidence != "low")
        if not facts or facts[0].confidence == "low":
            return "asks again (nothing sure enough to record)"
        correction = isinstance(reading, Correction)
        if any(fact.confidence != "high" for fact in facts):
            proposal = Proposal("correction" if correction else "answer", 0, facts, "")
            return "asks: " + confirm_message(playbook, 0, proposal).summary + " yes / no / edit"
        echoed = "; ".join(
            say(
                "recorded",
                label=playbook.field(fact.field).label,
                value=shown(playbook.field(fact.field), fact),
            )
            for fact in facts
        )
        return ("corrects it: " if correction else "records it: ") + echoed
    if isinstance(reading, Correction | Unclear):
        reason = reading.reason or "correction"
        return "asks again: " + say("unclear", label=spec.label.lower(), hint=explain(reason, spec))
    if isinstance(reading, Command):
        return f"runs `{reading.word}`"
    return {
        "skip": f"skips {spec.label} for now",
        "question": "hands it to the coach, then goes back to the question",
        "small_talk": "answers briefly and asks the question again",
        "undo": "takes back the last answer and asks its question again",
    }[reading.kind]
