"""Rough edges found by chatting with the bot (issue 13, item 6), each through the engine
on the demo pipeline: Monday 23 November 2026, 08:00 in New York."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from support import outbox_rows, person_id, texts

from bot.bootstrap import App
from bot.engine.messages import Incoming
from bot.managers.risk_scan import RiskScan
from storage.models import Deal, RiskWarning

ALEX, DANA = "alex@example.com", "dana@example.com"


def say(app: App, who: str, text: str) -> str:
    """Everything the engine answers `who`, as the console prints it."""
    database = app.services.database
    before = len(outbox_rows(database))
    app.engine.handle(Incoming(person_id=person_id(database, who), text=text))
    return "\n\n".join(texts(database)[before:])


def contoso(app: App) -> Deal:
    with app.services.database.transaction() as session:
        return session.scalars(select(Deal).where(Deal.crm_id == "DEMO-002")).one()


def test_schedule_tells_the_next_check_in_after_a_snooze(app: App) -> None:
    assert "Next: Tuesday 24 November, 09:30." in say(app, ALEX, "schedule")
    say(app, ALEX, "snooze until Wednesday")
    shown = say(app, ALEX, "schedule")
    assert "Next: Thursday 26 November, 09:30 (you snoozed me until Wednesday 25" in shown
    say(app, ALEX, "unsnooze")
    assert "Next: Tuesday 24 November, 09:30." in say(app, ALEX, "schedule")


def test_schedule_tells_the_next_check_in_after_an_absence(app: App) -> None:
    say(app, ALEX, "ooo until 2026-12-01")  # back on Tuesday 1 December, a check-in day
    shown = say(app, ALEX, "schedule")
    assert "Next: Tuesday 01 December, 09:30 (you're out of office until Tuesday 01" in shown


def test_deals_shows_a_paused_deal_as_paused(app: App) -> None:
    say(app, ALEX, "pause contoso until 2027-01-15 because budget freeze")
    listing = say(app, ALEX, "deals")
    [line] = [line for line in listing.splitlines() if line.startswith("Contoso service desk")]
    assert line.endswith("; ⏸ paused until 2027-01-15: budget freeze")
    [other] = [line for line in listing.splitlines() if line.startswith("Northwind")]
    assert "paused" not in other


def test_until_next_month_wakes_the_deal_on_the_first(app: App) -> None:
    reply = say(app, ALEX, "pause contoso until next month because budget freeze")
    assert reply.startswith("Paused Contoso service desk until 2026-12-01: budget freeze.")
    assert contoso(app).paused_until == dt.date(2026, 12, 1)
    say(app, ALEX, "pause contoso until the end of next month because budget freeze")
    assert contoso(app).paused_until == dt.date(2026, 12, 31)


def test_pause_says_what_is_missing(app: App) -> None:
    assert say(app, ALEX, "pause contoso") == (
        "To pause Contoso service desk I still need a date (`until …`) and a reason"
        " (`because …`), e.g. `pause Contoso service desk until next month because budget"
        " freeze` (“until next month” wakes it on the 1st)."
    )
    assert "I still need a date (`until …`)," in say(app, ALEX, "pause contoso because budget")
    assert "I couldn't read “someday” as one date for Contoso" in say(
        app, ALEX, "pause contoso until someday because budget"
    )
    assert say(app, ALEX, "pause").startswith("Try `pause DEAL until")
    assert contoso(app).paused_until is None


def test_a_bare_team_schedule_shows_the_teams_setting(app: App) -> None:
    assert say(app, DANA, "team schedule") == (
        "Your team's check-ins: tue, thu at 09:30, in each rep's time zone (the default: you"
        " haven't set one). Reps with their own `schedule` keep theirs. Change with"
        " `team schedule tue,thu 09:00`."
    )
    say(app, DANA, "team schedule wed 10:00")
    assert say(app, DANA, "team schedule").startswith(
        "Your team's check-ins: wed at 10:00, in each rep's time zone (your setting)."
    )
    assert say(app, DANA, "team schedule funday").startswith("Try `team schedule tue,thu 09:00`")


def test_a_managers_checkin_and_greeting_are_a_managers(app: App) -> None:
    reply = say(app, DANA, "checkin")
    assert reply.startswith("You have no open deals of your own to check in on.")
    assert "fresh" not in reply


def test_warnings_pages_through_the_rest(app: App) -> None:
    app.part(RiskScan).run(app.services.clock.now())
    with app.services.database.transaction() as session:
        count = len(session.scalars(select(RiskWarning)).all())
    assert 10 < count <= 20
    first = say(app, DANA, "warnings")
    assert f"({count} on " in first and " · page 1 of 2 ==" in first
    assert f"…and {count - 10} more: `warnings 2` shows the next ones." in first
    second = say(app, DANA, "warnings 2")
    assert "page 2 of 2" in second and "more:" not in second
    shown = [line for line in (first + second).splitlines() if line.startswith("`#")]
    assert len(shown) == len(set(shown)) == count
    assert say(app, DANA, "warnings soon").startswith("Try `warnings`")


def test_a_warning_marked_handled_leaves_the_open_list(app: App) -> None:
    app.part(RiskScan).run(app.services.clock.now())
    assert "`#3`" in say(app, DANA, "warnings")
    assert "it leaves your `warnings` list" in say(app, DANA, "feedback 3 handled")
    assert "`#3`" not in say(app, DANA, "warnings") + say(app, DANA, "warnings 2")
    say(app, DANA, "feedback 3 useful")  # a later verdict puts it back
    assert "`#3`" in say(app, DANA, "warnings") + say(app, DANA, "warnings 2")


def test_help_in_the_console_tells_how_to_quit(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    app.engine.handle(Incoming(person_id=alex, text="help", transport="console"))
    assert "`quit`" in texts(database)[-1]
    app.engine.handle(Incoming(person_id=alex, text="help", transport="slack"))
    assert "`quit`" not in texts(database)[-1]


def test_a_briefing_edit_answers_its_missing_fact(app: App) -> None:
    draft = say(app, ALEX, "brief northwind")
    assert "Whose vision is this project?" in draft
    assert "When will they decide?" in draft
    say(app, ALEX, "edit 1 vision")
    redrawn = say(app, ALEX, "Dispatch leadership set on-time delivery as this year's goal.")
    assert "✓ Whose vision this is updated." in redrawn
    assert "Dispatch leadership set on-time delivery" in redrawn
    assert "Whose vision is this project?" not in redrawn
    assert "When will they decide?" in redrawn  # no edit of this section answers that
