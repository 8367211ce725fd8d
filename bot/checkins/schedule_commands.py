"""`schedule` (a rep's own check-in rhythm) and `team schedule` (a manager's team default)."""

from __future__ import annotations

import re

from bot.engine.formatting import local_moment
from bot.engine.messages import Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.checkin_policy import CheckinRules, RepRhythm, schedule_for
from coaching.schedule import WEEKDAYS, CheckinSchedule, ScheduleError, parse_days, parse_time

TIME = re.compile(r"^\d{1,2}:\d{2}$")
RESET_WORDS = {"default", "reset", "team"}


def _reply(turn: Turn, key: str, **values: object) -> None:
    turn.out.send(Message.text(say(key, **values)))


def _days_text(days: frozenset[int]) -> str:
    return ", ".join(WEEKDAYS[day] for day in sorted(days)) or "no days"


def _parse(args: str) -> tuple[str | None, str | None]:
    """'mon,thu 08:30' -> days and time, either may be absent; raises ScheduleError."""
    days, time = None, None
    for word in args.split():
        if TIME.match(word):
            time = parse_time(word).strftime("%H:%M")
        else:
            parse_days(word)
            days = word.lower()
    return days, time


class ScheduleCommands:
    """Registered in the engine as `schedule` and `team`."""

    def __init__(self, rules: CheckinRules) -> None:
        self.rules = rules

    def schedule(self, turn: Turn) -> None:
        args = turn.args.strip().lower()
        person = turn.person
        if not args:
            self._show(turn)
            return
        if args in RESET_WORDS:
            person.checkin_days = person.checkin_time = None
            person.max_questions = None
            schedule = self._schedule(turn)
            _reply(turn, "schedule_reset", days=_days_text(schedule.days), time=_time(schedule))
            return
        if args.startswith("questions"):
            count = args.removeprefix("questions").strip()
            if not count.isdecimal() or not 1 <= int(count) <= 20:
                _reply(turn, "schedule_usage", problem="Questions: a number from 1 to 20.")
                return
            person.max_questions = int(count)
            _reply(turn, "schedule_questions_set", questions=count)
            return
        try:
            days, time = _parse(args)
        except ScheduleError as error:
            _reply(turn, "schedule_usage", problem=f"{str(error).capitalize()}.")
            return
        person.checkin_days = days or person.checkin_days
        person.checkin_time = time or person.checkin_time
        schedule = self._schedule(turn)
        _reply(
            turn,
            "schedule_set",
            days=_days_text(schedule.days),
            time=_time(schedule),
            timezone=person.timezone,
        )

    def team(self, turn: Turn) -> None:
        """`team schedule tue,thu 09:00`: a manager's default for their reps."""
        words = turn.args.strip()
        if not words.lower().startswith("schedule"):
            _reply(turn, "unknown_command", text=f"team {words}".strip())
            return
        if turn.person.role != "manager":
            _reply(turn, "team_schedule_not_manager")
            return
        try:
            days, time = _parse(words[len("schedule") :].strip())
        except ScheduleError as error:
            _reply(turn, "schedule_usage", problem=f"{str(error).capitalize()}.")
            return
        if days is None and time is None:
            _reply(turn, "schedule_usage", problem="")
            return
        manager = turn.person
        manager.checkin_days = days or manager.checkin_days or self.rules.days
        manager.checkin_time = time or manager.checkin_time or self.rules.at
        days_text = _days_text(parse_days(manager.checkin_days))
        _reply(turn, "team_schedule_set", days=days_text, time=manager.checkin_time)

    def _show(self, turn: Turn) -> None:
        person = turn.person
        schedule = self._schedule(turn)
        following = schedule.next_slot(turn.now)
        own = person.checkin_days or person.checkin_time
        _reply(
            turn,
            "schedule_now",
            days=_days_text(schedule.days),
            time=_time(schedule),
            timezone=person.timezone,
            questions=person.max_questions or self.rules.max_questions,
            source=say("schedule_own" if own else "schedule_team"),
            next=local_moment(following, person.timezone) if following else "none",
        )

    def _schedule(self, turn: Turn) -> CheckinSchedule:
        person, manager = turn.person, turn.person.manager
        rhythm = RepRhythm(
            timezone=person.timezone,
            working_days=person.working_days,
            checkin_days=person.checkin_days,
            checkin_time=person.checkin_time,
            team_checkin_days=manager.checkin_days if manager else None,
            team_checkin_time=manager.checkin_time if manager else None,
        )
        return schedule_for(rhythm, self.rules)


def _time(schedule: CheckinSchedule) -> str:
    return schedule.at.strftime("%H:%M")
