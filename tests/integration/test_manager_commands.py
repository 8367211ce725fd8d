"""Manager commands through the conversation engine, on the demo pipeline (Dana's team)."""

from __future__ import annotations

from sqlalchemy import select
from support import outbox_rows, person_id, texts

from bot.bootstrap import App
from bot.engine.messages import Incoming
from bot.managers.risk_scan import RiskScan
from storage.models import Person, RiskWarning, WarningFeedback


def say(app: App, who: str, text: str, **incoming: object) -> str:
    """What the engine answers `who`, as the console prints it."""
    database = app.services.database
    before = len(outbox_rows(database))
    app.engine.handle(Incoming(person_id=person_id(database, who), text=text, **incoming))
    return "\n\n".join(texts(database)[before:])


def click(app: App, who: str, action: str, value: str) -> str:
    database = app.services.database
    before = len(outbox_rows(database))
    app.engine.handle(Incoming(person_id=person_id(database, who), action=action, value=value))
    return "\n\n".join(texts(database)[before:])


def scanned(app: App) -> list[RiskWarning]:
    app.part(RiskScan).run(app.services.clock.now())
    with app.services.database.transaction() as session:
        return list(session.scalars(select(RiskWarning).order_by(RiskWarning.id)))


def test_warnings_lists_the_managers_team_and_refuses_reps(app: App) -> None:
    warnings = scanned(app)
    listing = say(app, "dana@example.com", "warnings")
    assert listing.startswith(
        f"== Open warnings on your team's deals ({len(warnings)} on"
        f" {len({warning.deal_id for warning in warnings})} deals) · page 1 of 2 =="
    )
    assert (
        "Contoso service desk (Alex Rivera), No tested champion: in Proposal/Price Quote" in listing
    )
    assert "feedback ID useful" in listing
    assert say(app, "alex@example.com", "warnings").startswith("That command is for managers")


def test_feedback_by_button_and_by_command_feeds_the_digests_precision(app: App) -> None:
    warnings = scanned(app)
    stalled = next(warning for warning in warnings if warning.rule_id == "stalled")
    late = next(warning for warning in warnings if warning.rule_id == "late_entry")

    reply = click(app, "dana@example.com", "warning_feedback", f"{stalled.id}:useful")
    assert reply == f"Thanks: #{stalled.id} (Stalled, Northwind fleet analytics) marked useful."
    say(app, "dana@example.com", f"feedback {late.id} not useful")
    say(app, "dana@example.com", f"feedback #{stalled.id} handled")  # a later verdict counts

    with app.services.database.transaction() as session:
        verdicts = session.execute(
            select(WarningFeedback.warning_id, WarningFeedback.verdict).order_by(WarningFeedback.id)
        ).all()
    assert verdicts == [(stalled.id, "useful"), (late.id, "not_useful"), (stalled.id, "handled")]

    digest = say(app, "dana@example.com", "digest")
    assert "== Warning precision (your feedback) ==" in digest
    assert "Stalled     100% · 0 useful, 0 not useful, 1 handled" in digest
    assert "Late entry  0% · 0 useful, 1 not useful, 0 handled" in digest


def test_feedback_is_refused_outside_ones_team_or_without_a_verdict(app: App) -> None:
    warning = scanned(app)[0]
    with app.services.database.transaction() as session:
        session.add(Person(name="Other Manager", email="other@example.com", role="manager"))
    assert say(app, "other@example.com", f"feedback {warning.id} useful") == (
        f"Warning #{warning.id} is about another manager's team, so only they can rate it."
    )
    assert say(app, "dana@example.com", "feedback 99999 useful").startswith(
        "I know no warning #99999"
    )
    assert say(app, "dana@example.com", f"feedback {warning.id} great").startswith(
        "Give the warning's number and a verdict"
    )


def test_digest_here_dm_and_day(app: App) -> None:
    dana = "dana@example.com"
    in_channel = say(app, dana, "digest here", transport="slack", channel="C0123")
    assert in_channel.startswith("Done: your warnings and weekly digest will be posted in this")
    assert manager_setting(app, "digest_channel") == "slack:C0123"

    teams = say(app, dana, "digest here", transport="teams", channel="19:abc@thread.skype")
    assert teams.startswith("Done")
    assert manager_setting(app, "digest_channel") == "teams:19:abc@thread.skype"

    assert say(app, dana, "digest here").startswith("Type `/dealcoach digest here` in the")
    assert manager_setting(app, "digest_channel") == "teams:19:abc@thread.skype"

    say(app, dana, "digest dm")
    assert manager_setting(app, "digest_channel") is None

    assert say(app, dana, "digest day fri") == (
        "Done: your weekly digest comes on Fridays at 08:00 (America/New_York)."
    )
    assert manager_setting(app, "digest_day") == "fri"
    assert say(app, dana, "digest day someday").startswith("Which day?")
    assert say(app, dana, "digest sideways").startswith("`digest` shows this week's digest")


def test_warnings_follow_the_channel_set_with_digest_here(app: App) -> None:
    say(app, "dana@example.com", "digest here", transport="slack", channel="C0123")
    scanned(app)
    posts = [row for row in outbox_rows(app.services.database) if row.key.startswith("deal:")]
    assert len(posts) == 3
    assert {(row.transport, row.recipient) for row in posts} == {("slack", "channel:C0123")}


def test_the_digest_command_shows_this_weeks_digest(app: App) -> None:
    scanned(app)
    digest = say(app, "dana@example.com", "digest")
    assert digest.startswith("== Weekly digest · Dana Whitfield's team · week of 2026-11-23 ==")
    assert "== Late-stage qualification (3 deals) ==" in digest
    assert "Tested champion                    1 of 3 (33%)" in digest
    assert " Northwind fleet analytics · $84,000 · Alex Rivera: " in digest


def manager_setting(app: App, column: str) -> object:
    with app.services.database.transaction() as session:
        dana = session.scalars(select(Person).where(Person.email == "dana@example.com")).one()
        return getattr(dana, column)
