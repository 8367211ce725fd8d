"""Manager commands in any chat: `warnings`, `digest` (now, here, dm, day), `feedback`,
and the Useful / Not useful / Handled buttons under each warning."""

from __future__ import annotations

import calendar

from bot.engine.messages import Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from bot.infra.recipients import channel_setting
from bot.managers.digest_chart import chart_image
from bot.managers.digest_messages import digest_message
from bot.managers.digests import Digests
from bot.managers.warning_messages import WarningView, team_warnings_message
from coaching.risk import Wording
from coaching.schedule import WEEKDAYS, ScheduleError, parse_days
from storage import risk as store
from storage.row_ids import row_id

VERDICT_WORDS = {
    "useful": "useful",
    "not useful": "not_useful",
    "not_useful": "not_useful",
    "notuseful": "not_useful",
    "handled": "handled",
}


class ManagerCommands:
    """The handlers the conversation engine routes to; each checks the person has a team."""

    def __init__(self, digests: Digests, wording: Wording) -> None:
        self.digests = digests
        self.wording = wording

    def warnings(self, turn: Turn) -> None:
        """`warnings`, `warnings 2`: the team's open warnings a page at a time, without
        those this manager marked handled."""
        page = turn.args.strip().lstrip("#")
        if page and not (page.isdecimal() and int(page) >= 1):
            _reply(turn, "warnings_usage")
            return
        if not self._is_manager(turn):
            return
        handled = store.handled_by(turn.session, turn.person.id)
        views = [
            WarningView(
                warning.id, warning.rule, warning.severity, warning.reason, warning.action, deal
            )
            for warning, deal in store.warnings_with_deals(turn.session, manager_id=turn.person.id)
            if warning.id not in handled
        ]
        views.sort(key=lambda view: (-view.severity, -float(view.deal.facts.amount or 0), view.id))
        turn.out.send(team_warnings_message(views, self.wording, page=int(page or 1)))

    def digest(self, turn: Turn) -> None:
        word, _, rest = turn.args.strip().lower().partition(" ")
        if word not in {"", "here", "dm", "day"}:
            _reply(turn, "digest_usage")
            return
        if not self._is_manager(turn):
            return
        if word == "here":
            self._here(turn)
        elif word == "dm":
            turn.person.digest_channel = None
            _reply(turn, "digest_dm_set")
        elif word == "day":
            self._day(turn, rest.strip())
        else:
            figures = self.digests.compose(turn.session, turn.person.id, turn.now)
            if figures is not None:
                chart = chart_image(figures, self.digests.wording)
                turn.out.send(digest_message(figures, chart))

    def _here(self, turn: Turn) -> None:
        if not turn.channel:
            _reply(turn, "digest_here_needs_channel")
            return
        turn.person.digest_channel = channel_setting(turn.out.transport, turn.channel)
        _reply(turn, "digest_here_set")

    def _day(self, turn: Turn, text: str) -> None:
        try:
            days = parse_days(text) if text else frozenset()
        except ScheduleError:
            days = frozenset()
        if len(days) != 1:
            _reply(turn, "digest_day_usage")
            return
        day = next(iter(days))
        turn.person.digest_day = WEEKDAYS[day]
        at = self.digests.schedule.at.strftime("%H:%M")
        name = calendar.day_name[day]
        _reply(turn, "digest_day_set", day=name, time=at, timezone=turn.person.timezone)

    def feedback(self, turn: Turn) -> None:
        """`feedback 12 useful` (what the buttons type where there are no buttons)."""
        number, _, verdict = turn.args.strip().partition(" ")
        self._record(turn, number, verdict)

    def feedback_action(self, turn: Turn, value: str) -> None:
        """A click on a warning's button: value is "<warning id>:<verdict>"."""
        number, _, verdict = value.partition(":")
        self._record(turn, number, verdict)

    def _record(self, turn: Turn, number: str, verdict_text: str) -> None:
        verdict = VERDICT_WORDS.get(" ".join(verdict_text.lower().split()))
        number = number.lstrip("#")
        if not number.isdecimal() or verdict is None:
            _reply(turn, "feedback_usage")
            return
        warning_id = row_id(number)
        target = store.warning_target(turn.session, warning_id) if warning_id else None
        if target is None:
            _reply(turn, "feedback_unknown", id=number)
            return
        if turn.person.id not in target.manager_ids:
            _reply(turn, "feedback_not_yours", id=number)
            return
        store.record_feedback(turn.session, target.id, turn.person.id, verdict, turn.now)
        _reply(
            turn,
            f"feedback_recorded_{verdict}",
            id=target.id,
            label=self.wording.label(target.rule),
            deal=target.deal,
        )

    def _is_manager(self, turn: Turn) -> bool:
        if store.has_team(turn.session, turn.person.id):
            return True
        _reply(turn, "managers_only")
        return False


def _reply(turn: Turn, key: str, **values: object) -> None:
    turn.out.send(Message.text(say(key, **values)))
