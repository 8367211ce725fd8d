"""`dealcoach warnings` and `dealcoach digest`: the managers' side from the command line."""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from bot.engine.replies import say

if TYPE_CHECKING:
    from bot.infra.services import Services
    from bot.managers.desk import ManagerDesk
    from storage.risk import OpenDeal, StoredWarning

Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def register(app: typer.Typer) -> None:
    app.command("warnings")(warnings)
    app.command("digest")(digest)


def warnings(
    as_json: Json = False,
    manager: Annotated[
        str | None, typer.Option(help="Only this manager's team (a name or an email).")
    ] = None,
) -> None:
    """Scan every open deal now, then list the open warnings with their reasons.

    The scan is the scheduler's: new and escalated warnings are written and queued
    for the managers (within their daily alert budget); a repeated scan posts
    nothing new unless something changed.
    """
    from storage import risk

    services, desk = _desk()
    report = desk.scan.run(services.clock.now())
    with services.database.transaction() as session:
        manager_id = _manager_id(session, manager) if manager else None
        found = risk.warnings_with_deals(session, manager_id=manager_id)
        managers = risk.names(session, [deal.manager_id for _, deal in found if deal.manager_id])
    found.sort(key=lambda item: _order(item, managers))
    wording = desk.scan.engine.wording
    if as_json:
        items = [_warning_json(warning, deal, managers, wording) for warning, deal in found]
        _emit(
            json.dumps({"scan": report.as_dict(), "warnings": items}, indent=2, ensure_ascii=False)
            + "\n"
        )
        return
    lines = [say("cli_scan", **report.as_dict()), ""]
    lines.extend(_warning_lines(found, managers, wording) or [say("cli_no_warnings")])
    _emit("\n".join(lines) + "\n")


def digest(
    manager: Annotated[
        str, typer.Option(help="The manager: a name or an email.", show_default=False)
    ],
    as_json: Json = False,
    print_: Annotated[
        bool, typer.Option("--print", help="Print the digest here instead of sending it.")
    ] = False,
) -> None:
    """A manager's weekly digest now: printed, as JSON, or queued to their channel or DM."""
    from bot.engine.text_render import render_text
    from bot.managers.digest_messages import digest_message

    services, desk = _desk()
    now = services.clock.now()
    with services.database.transaction() as session:
        manager_id = _manager_id(session, manager)
        figures = desk.digests.compose(session, manager_id, now)
        if figures is None:
            _not_a_manager(session, manager_id)
        if not (as_json or print_):
            desk.digests.send_now(session, manager_id, figures, now)
            place = desk.digests.recipients.managers(session, [manager_id])[manager_id]
    if as_json:
        _emit(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    elif print_:
        _emit(render_text(digest_message(figures)) + "\n")
    else:
        typer.echo(
            say(
                "cli_digest_sent",
                manager=figures["manager"],
                recipient=place.recipient,
                transport=place.transport,
            )
        )


def _desk() -> tuple[Services, ManagerDesk]:
    """The services and the managers' side (settings already checked the rules file)."""
    from bot.bootstrap import build_app
    from bot.cli.common import services_or_exit
    from bot.managers.desk import ManagerDesk

    services = services_or_exit()
    return services, build_app(services).part(ManagerDesk)


def _manager_id(session: Any, who: str) -> int:
    from bot.cli.common import fail
    from storage import queries, risk

    person = queries.find_person(session, who)
    if person is None:
        fail(say("cli_not_found", who=who, managers=_managers(session)))
    if not risk.has_team(session, person.id):
        _not_a_manager(session, person.id)
    return person.id


def _not_a_manager(session: Any, person_id: int) -> NoReturn:
    from bot.cli.common import fail
    from storage import risk

    name = risk.names(session, [person_id])[person_id]
    fail(say("cli_not_manager", name=name, managers=_managers(session)))


def _managers(session: Any) -> str:
    from storage.digests import managers

    return ", ".join(manager.name for manager in managers(session)) or "none yet"


def _order(item: tuple[StoredWarning, OpenDeal], managers: dict[int, str]) -> tuple[Any, ...]:
    warning, deal = item
    team = managers.get(deal.manager_id or 0, "~")
    return (team, -warning.severity, -float(deal.facts.amount or 0), deal.facts.name, warning.id)


def _warning_json(
    warning: StoredWarning, deal: OpenDeal, managers: dict[int, str], wording: Any
) -> dict[str, Any]:
    facts = deal.facts
    details = warning.details or {}
    return {
        "id": warning.id,
        "rule": warning.rule,
        "label": wording.label(warning.rule),
        "severity": warning.severity,
        "severity_label": wording.severity(warning.severity),
        "reason": warning.reason,
        "action": warning.action,
        "signals": details.get("signals", []),
        "facts": details.get("facts", {}),
        "evidence": details.get("evidence", []),
        "deal": {
            "id": facts.id,
            "crm_id": facts.crm_id,
            "name": facts.name,
            "account": facts.account,
            "stage": facts.stage,
            "amount": float(facts.amount) if facts.amount is not None else None,
            "currency": facts.currency,
            "close_date": facts.close_date.isoformat() if facts.close_date else None,
            "owner": deal.owner,
            "manager": managers.get(deal.manager_id or 0),
        },
    }


def _warning_lines(
    found: list[tuple[StoredWarning, OpenDeal]], managers: dict[int, str], wording: Any
) -> list[str]:
    from bot.managers.warning_messages import WarningView

    teams: dict[int | None, list[tuple[StoredWarning, OpenDeal]]] = defaultdict(list)
    for warning, deal in found:
        teams[deal.manager_id].append((warning, deal))
    lines: list[str] = []
    for manager_id, items in teams.items():
        deals = len({deal.facts.id for _, deal in items})
        if manager_id is None:
            lines.append(say("cli_no_manager", count=len(items), deals=deals))
        else:
            name = managers[manager_id]
            lines.append(say("cli_team", manager=name, count=len(items), deals=deals))
        for warning, deal in items:
            view = WarningView(
                warning.id, warning.rule, warning.severity, warning.reason, warning.action, deal
            )
            values = view.values(wording)
            lines += [say(key, **values) for key in ("cli_warning", "cli_why", "cli_action")]
        lines.append("")
    return lines


def _emit(text: str) -> None:
    """Write to stdout; a reader that stops early (`| head`) ends the command quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
