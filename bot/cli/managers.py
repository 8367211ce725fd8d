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
LISTED = 10  # warnings per team in plain `dealcoach warnings`


def register(app: typer.Typer) -> None:
    app.command("warnings")(warnings)
    app.command("digest")(digest)


def warnings(
    as_json: Json = False,
    manager: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Only this manager's team (a name or an email)."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=0,
            metavar="N",
            help=f"At most N warnings per team, most severe first; 0 lists all"
            f" (default: {LISTED} in text, all in JSON).",
            show_default=False,
        ),
    ] = None,
    post: Annotated[
        bool,
        typer.Option(
            "--post",
            help="Also post new and escalated warnings to their managers now, as the"
            " scheduler does (within each manager's daily budget).",
        ),
    ] = False,
) -> None:
    """Scan every open deal now and list the open warnings with their reasons.

    Reading sends nothing: without --post the scan is a preview;
    nothing is kept or posted (the running bot's scheduler does that).
    """
    from storage import risk

    services, desk = _desk()

    def read(session: Any) -> tuple[list[tuple[StoredWarning, OpenDeal]], dict[int, str]]:
        manager_id = _manager_id(session, manager) if manager else None
        found = risk.warnings_with_deals(session, manager_id=manager_id)
        names = risk.names(session, [deal.manager_id for _, deal in found if deal.manager_id])
        return found, names

    now = services.clock.now()
    if post:
        report = desk.scan.run(now)
        with services.database.transaction() as session:
            found, managers = read(session)
    else:
        report, (found, managers) = desk.scan.preview(now, read)
    found.sort(key=lambda item: _order(item, managers))
    shown = _per_team(found, limit if limit is not None else (0 if as_json else LISTED))
    wording = desk.scan.engine.wording
    if as_json:
        items = [_warning_json(warning, deal, managers, wording) for warning, deal in shown]
        scan = report.as_dict() | {"preview": not post}
        output = {"scan": scan, "total": len(found), "warnings": items}
        _emit(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
        return
    lines = [say("cli_scan" if post else "cli_scan_preview", **report.as_dict()), ""]
    lines.extend(_warning_lines(shown, found, managers, wording) or [say("cli_no_warnings")])
    if len(shown) < len(found):
        lines.append(say("cli_more", count=len(found) - len(shown), shown=len(shown)))
    _emit("\n".join(lines) + "\n")


def _per_team(
    found: list[tuple[StoredWarning, OpenDeal]], limit: int
) -> list[tuple[StoredWarning, OpenDeal]]:
    """The first `limit` warnings of each team (found is sorted by team); 0: all."""
    if not limit:
        return found
    counts: dict[int | None, int] = defaultdict(int)
    shown = []
    for item in found:
        counts[item[1].manager_id] += 1
        if counts[item[1].manager_id] <= limit:
            shown.append(item)
    return shown


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
    from bot.console.transport import save_pictures
    from bot.engine.text_render import render_text
    from bot.managers.digest_chart import chart_image
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
        message = digest_message(figures, chart_image(figures, desk.digests.wording))
        pictures = services.settings.data_dir / "pictures"
        _emit(render_text(save_pictures(message, pictures, prefix="digest-")) + "\n")
    else:
        kind, _, where = place.recipient.partition(":")
        typer.echo(
            say(
                "cli_digest_sent",
                manager=figures["manager"],
                place=say(
                    f"cli_digest_{'channel' if kind == 'channel' else 'direct'}",
                    manager=figures["manager"],
                    channel=where,
                    transport=say(f"cli_transport_{place.transport}"),
                ),
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
    shown: list[tuple[StoredWarning, OpenDeal]],
    found: list[tuple[StoredWarning, OpenDeal]],
    managers: dict[int, str],
    wording: Any,
) -> list[str]:
    from bot.managers.warning_messages import WarningView

    teams: dict[int | None, list[tuple[StoredWarning, OpenDeal]]] = defaultdict(list)
    for warning, deal in found:
        teams[deal.manager_id].append((warning, deal))
    listed = {warning.id for warning, _ in shown}
    lines: list[str] = []
    for manager_id, items in teams.items():
        deals = len({deal.facts.id for _, deal in items})
        if manager_id is None:
            lines.append(say("cli_no_manager", count=len(items), deals=deals))
        else:
            name = managers[manager_id]
            lines.append(say("cli_team", manager=name, count=len(items), deals=deals))
        for warning, deal in items:
            if warning.id not in listed:
                continue
            view = WarningView(
                warning.id, warning.rule, warning.severity, warning.reason, warning.action, deal
            )
            values = view.values(wording)
            lines += [say(key, **values) for key in ("cli_warning", "cli_why", "cli_action")]
        hidden = sum(1 for warning, _ in items if warning.id not in listed)
        if hidden:
            lines.append(say("cli_team_more", count=hidden))
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
