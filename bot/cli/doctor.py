"""`dealcoach doctor`: checks each configured part and says what is wrong, one line each."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.infra.services import Services

Status = Literal["ok", "FAIL", "warn", "skip"]
SHOWN = 5  # names listed in one line before "and N more"


@dataclass(frozen=True)
class Finding:
    part: str
    status: Status
    text: str

    def line(self) -> str:
        return f"{self.status:<4} {self.part}: {self.text}"


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor() -> None:
    """Check the database, Slack, Teams, SMTP, the model and the team's data; one line
    each. Exit status 1 when something is wrong."""
    from bot.bootstrap import build_services
    from bot.cli.common import settings_or_exit

    services = build_services(settings_or_exit())
    findings = diagnose(services)
    for finding in findings:
        typer.echo(finding.line())
    if any(finding.status == "FAIL" for finding in findings):
        raise typer.Exit(1)


def diagnose(services: Services) -> list[Finding]:
    """Every check, in order; the team's data is read only when the database answers."""
    settings = services.settings
    findings = [_database(services)]
    findings.append(_optional("slack", settings.slack_bot_token, lambda: _slack(settings)))
    findings.append(_optional("teams", settings.microsoft_app_id, lambda: _teams(settings)))
    findings.append(_optional("smtp", settings.smtp_host, lambda: _smtp(settings)))
    findings.append(_optional("model", settings.model_enabled, lambda: _model(settings)))
    if findings[0].status == "ok":
        findings += _people(services)
    return findings


def _optional(part: str, configured: object, check: Callable[[], Finding]) -> Finding:
    return check() if configured else Finding(part, "skip", "not configured")


def _database(services: Services) -> Finding:
    from storage.migrate import current_revision, head_revision

    database = services.database
    if not database.ping():
        return Finding("database", "FAIL", "does not answer: check DEALCOACH_DATABASE_URL")
    current, head = current_revision(database), head_revision()
    if current != head:
        return Finding(
            "database",
            "FAIL",
            f"schema at {current or 'nothing'}, this version needs {head}: "
            "run `dealcoach db upgrade`",
        )
    return Finding("database", "ok", f"answers; schema {head} (up to date)")


def _slack(settings: Settings) -> Finding:
    from bot.slack.doctor import check_slack

    healthy, text = check_slack(settings)
    return Finding("slack", "ok" if healthy else "FAIL", text)


def _teams(settings: Settings) -> Finding:
    from bot.teams.doctor import check_teams

    healthy, text = check_teams(settings)
    return Finding("teams", "ok" if healthy else "FAIL", text)


def _smtp(settings: Settings) -> Finding:
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=10) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.noop()
    except smtplib.SMTPAuthenticationError:
        return Finding("smtp", "FAIL", f"{where} refused the login: check SMTP_USERNAME/PASSWORD")
    except (OSError, smtplib.SMTPException) as exc:
        return Finding("smtp", "FAIL", f"cannot talk to {where}: {exc}: check SMTP_HOST/PORT")
    return Finding(
        "smtp", "ok", f"{where} answers" + (" (STARTTLS)" if settings.smtp_starttls else "")
    )


def _model(settings: Settings) -> Finding:
    from prompts.llm import ModelUnavailable, build_chat_model, ping

    where = settings.openai_base_url or "OpenAI"
    model = build_chat_model(
        settings.openai_api_key,
        settings.openai_base_url,
        settings.model,
        timeout_s=15,
        max_retries=0,
    )
    try:
        ping(model)
    except ModelUnavailable as exc:
        return Finding("model", "FAIL", f"{settings.model} at {where} did not answer: {exc}")
    return Finding("model", "ok", f"{settings.model} at {where} answers")


def _people(services: Services) -> list[Finding]:
    from storage import people

    with services.database.transaction() as session:
        everyone = [person for person in people.everyone(session) if person.active]
    unknown = [person for person in everyone if not _known_zone(person.timezone)]
    if unknown:
        named = [f"{person.name} ({person.timezone})" for person in unknown]
        zones = Finding(
            "time zones",
            "FAIL",
            f"{_count(unknown, 'person has', 'people have')} an unknown time zone: "
            f"{_names(named)}: fix it in the team import (IANA names, e.g. Europe/Berlin)",
        )
    else:
        zones = Finding("time zones", "ok", f"all {len(everyone)} people's are known")
    managers = [person for person in everyone if person.role == "manager"]
    without = [person.name for person in managers if not person.digest_channel]
    if without:
        channels = Finding(
            "manager channels",
            "warn",
            f"{_count(without, 'manager gets', 'managers get')} warnings and digests by direct "
            f"message: {_names(without)}: type `digest here` in the team's channel",
        )
    else:
        channels = Finding("manager channels", "ok", f"all {len(managers)} managers have one")
    return [zones, channels]


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _count(items: Sized, one: str, many: str) -> str:
    return f"1 {one}" if len(items) == 1 else f"{len(items)} {many}"


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown if len(names) <= SHOWN else f"{shown} and {len(names) - SHOWN} more"
