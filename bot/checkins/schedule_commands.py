"""`schedule`: a rep's own check-in rhythm (a manager's team default is `team schedule`,
in bot/managers/team_schedule.py)."""

from __future__ import annotations

from bot.engine.formatting import local_moment
from bot.engine.messages import Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from coaching.checkin_policy import CheckinRules, RepRhythm, next_checkin, schedule_for
from coaching.schedule import CheckinSchedule, ScheduleError, days_text, parse_rhythm

RESET_WORDS = {"default", "reset", "team"}


def _reply(turn: Turn, key: str, **values: object) -> None:
    turn.out.send(Message.text(say(key, **values)))


class ScheduleCommands:
    """The `schedule` command."""

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
            _reply(turn, "schedule_reset", days=days_text(schedule.days), time=_time(schedule))
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
            days, time = parse_rhythm(args)
        except ScheduleError as error:
            _reply(turn, "schedule_usage", problem=f"{str(error).capitalize()}.")
            return
        person.checkin_days = days or person.checkin_days
        person.checkin_time = time or person.checkin_time
        schedule = self._schedule(turn)
        _reply(
            turn,
            "schedule_set",
            days=days_text(schedule.days),
            time=_time(schedule),
            timezone=person.timezone,
        )

    def _show(self, turn: Turn) -> None:
        person = turn.person
        schedule = self._schedule(turn)
        following = next_checkin(self._rhythm(turn), turn.now, self.rules)
        own = person.checkin_days or person.checkin_time
        _reply(
            turn,
            "schedule_now",
            days=days_text(schedule.days),
            time=_time(schedule),
            timezone=person.timezone,
            questions=person.max_questions or self.rules.max_questions,
            source=say("schedule_own" if own else "schedule_team"),
            next=local_moment(following, person.timezone) if following else "none",
            held=self._held(turn),
        )

    def _held(self, turn: Turn) -> str:
        """Why the next check-in is later than the rhythm says: a snooze, an absence."""
        person = turn.person
        if person.out_until is not None and turn.today < person.out_until:
            return say("schedule_held_ooo", until=person.out_until.strftime("%A %d %B"))
        if person.snoozed_until is not None and person.snoozed_until > turn.now:
            return say(
                "schedule_held_snooze", until=local_moment(person.snoozed_until, person.timezone)
            )
        return ""

    def _schedule(self, turn: Turn) -> CheckinSchedule:
        return schedule_for(self._rhythm(turn), self.rules)

    def _rhythm(self, turn: Turn) -> RepRhythm:
        person, manager = turn.person, turn.person.manager
        return RepRhythm(
            timezone=person.timezone,
            working_days=person.working_days,
            checkin_days=person.checkin_days,
            checkin_time=person.checkin_time,
            team_checkin_days=manager.checkin_days if manager else None,
            team_checkin_time=manager.checkin_time if manager else None,
            snoozed_until=person.snoozed_until,
            out_until=person.out_until,
        )


def _time(schedule: CheckinSchedule) -> str:
    return schedule.at.strftime("%H:%M")
