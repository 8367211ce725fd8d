"""Reps set their own rhythm; managers set their team's default."""

import datetime as dt

from support import person_id, texts

from bot.bootstrap import App
from bot.checkins.rounds import CheckinRounds
from bot.engine.messages import Incoming
from coaching.clock import FixedClock
from storage.models import Person


def say(app: App, who: str, text: str) -> str:
    pid = person_id(app.services.database, who)
    app.engine.handle(Incoming(person_id=pid, text=text))
    return texts(app.services.database, f"person:{pid}")[-1]


def test_a_rep_sees_and_changes_their_rhythm(app: App) -> None:
    shown = say(app, "alex@example.com", "schedule")
    assert shown.startswith("Your check-ins: tue, thu at 09:30 (America/New_York), up to 5")
    assert "These are your team's settings. Next: Tuesday 24 November, 09:30." in shown
    assert say(app, "alex@example.com", "schedule mon,wed 08:00") == (
        "Done: check-ins on mon, wed at 08:00 (America/New_York)."
    )
    assert say(app, "alex@example.com", "schedule questions 3") == (
        "Done: up to 3 questions per check-in."
    )
    assert "Next: Wednesday 25 November, 08:00." in say(app, "alex@example.com", "schedule")
    assert say(app, "alex@example.com", "schedule funday").startswith(
        "Try `schedule mon,thu 08:30`"
    )
    assert say(app, "alex@example.com", "schedule default").startswith(
        "Back to your team's rhythm: tue, thu at 09:30."
    )


def test_the_rhythm_drives_the_rounds(app: App, clock: FixedClock) -> None:
    say(app, "alex@example.com", "schedule mon 09:00")
    clock.set(dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC))  # Monday 09:00 in New York
    report = app.part(CheckinRounds).run_round(clock.now())
    assert report.started == 1


def test_a_manager_sets_the_team_default(app: App, clock: FixedClock) -> None:
    reply = say(app, "dana@example.com", "team schedule wed 10:00")
    assert reply.startswith("Done: your team's check-ins default to wed at 10:00")
    assert "up to 5" in say(app, "priya@example.com", "schedule")
    assert "wed at 10:00 (Europe/London)" in say(app, "priya@example.com", "schedule")
    assert say(app, "alex@example.com", "team schedule mon 09:00").startswith(
        "Only a manager can set the team's rhythm"
    )
    clock.set(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))  # Wednesday 10:00 in London
    assert app.part(CheckinRounds).run_round(clock.now()).started == 1
    with app.services.database.transaction() as session:
        dana = session.get_one(Person, person_id(app.services.database, "dana@example.com"))
        assert (dana.checkin_days, dana.checkin_time) == ("wed", "10:00")


def test_managers_see_their_commands_in_help(app: App) -> None:
    assert "`warnings`" in say(app, "dana@example.com", "help")
    assert "`warnings`" not in say(app, "alex@example.com", "help")
