"""`team schedule tue,thu 09:00`: a manager's default check-in rhythm for their reps."""

from __future__ import annotations

from bot.engine.messages import Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.checkin_policy import CheckinRules
from coaching.schedule import ScheduleError, days_text, parse_days, parse_rhythm


class TeamSchedule:
    """The `team` command (today only `team schedule`)."""

    def __init__(self, rules: CheckinRules) -> None:
        self.rules = rules

    def team(self, turn: Turn) -> None:
        words = turn.args.strip()
        if not words.lower().startswith("schedule"):
            _reply(turn, "unknown_command", text=f"team {words}".strip())
            return
        if turn.person.role != "manager":
            _reply(turn, "team_schedule_not_manager")
            return
        manager = turn.person
        rhythm = words[len("schedule") :].strip()
        if not rhythm:
            shown = days_text(parse_days(manager.checkin_days or self.rules.days))
            _reply(
                turn,
                "team_schedule_now",
                days=shown,
                time=manager.checkin_time or self.rules.at,
                source=say(
                    "team_schedule_own"
                    if manager.checkin_days or manager.checkin_time
                    else "team_schedule_default"
                ),
            )
            return
        try:
            days, time = parse_rhythm(rhythm)
        except ScheduleError as error:
            _reply(turn, "team_schedule_usage", problem=f"{str(error).capitalize()}.")
            return
        if days is None and time is None:
            _reply(turn, "team_schedule_usage", problem="")
            return
        manager.checkin_days = days or manager.checkin_days or self.rules.days
        manager.checkin_time = time or manager.checkin_time or self.rules.at
        shown = days_text(parse_days(manager.checkin_days))
        _reply(turn, "team_schedule_set", days=shown, time=manager.checkin_time)


def _reply(turn: Turn, key: str, **values: object) -> None:
    turn.out.send(Message.text(say(key, **values)))
