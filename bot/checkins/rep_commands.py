"""Rep commands that change the rhythm: snooze, out of office, pause and resume a deal."""

from __future__ import annotations

import datetime as dt

from bot.checkins.pause_text import PauseRequest, parse_pause
from bot.engine.formatting import local_moment
from bot.engine.messages import Message
from bot.engine.replies import say
from bot.engine.turn import Turn
from bot.infra.local_time import day_start
from coaching.dates import parse_duration
from coaching.dates.until import parse_until
from coaching.matching import match_deals
from storage import checkins, deals, queries
from storage.models import Deal

DEFAULT_SNOOZE = dt.timedelta(days=1)


def reply(turn: Turn, key: str, **values: object) -> None:
    turn.out.send(Message.text(say(key, **values)))


def snooze(turn: Turn) -> None:
    """`snooze`, `snooze 3d`, `snooze until Monday`: no check-ins until then."""
    args = turn.args.strip().lower()
    if args.startswith("until "):
        reading = parse_until(args.removeprefix("until "), turn.today)
        until = day_start(reading.value, turn.person.timezone) if reading.value else None
    else:
        delta = parse_duration(args) if args else DEFAULT_SNOOZE
        until = turn.now + delta if delta else None
    if until is None or until <= turn.now:
        reply(turn, "snooze_usage")
        return
    turn.person.snoozed_until = until
    _end_open_checkin(turn)
    reply(turn, "snoozed", until=local_moment(until, turn.person.timezone))


def unsnooze(turn: Turn) -> None:
    turn.person.snoozed_until = None
    reply(turn, "unsnoozed")


def out_of_office(turn: Turn) -> None:
    """`ooo until 2026-12-14` (back on that day), `ooo off`."""
    args = turn.args.strip().lower()
    if args in {"off", "end", "done", "back", "clear"}:
        turn.person.out_until = None
        reply(turn, "ooo_cleared")
        return
    reading = parse_until(args.removeprefix("until ").strip(), turn.today) if args else None
    if reading is None or reading.value is None or reading.value <= turn.today:
        reply(turn, "ooo_usage")
        return
    turn.person.out_until = reading.value
    _end_open_checkin(turn)
    reply(turn, "ooo_set", until=reading.value.strftime("%A %d %B %Y"))


def _end_open_checkin(turn: Turn) -> None:
    """A snooze or an absence ends the check-in in progress (no reminder will follow)."""
    checkin = checkins.open_checkin(turn.session, turn.person.id)
    if checkin is not None:
        checkins.close_checkin(turn.session, checkin, "snoozed", turn.now)


def pause(turn: Turn) -> None:
    """`pause DEAL until DATE because REASON`: no questions or stall warnings until then.
    "until next month" wakes the deal on the 1st of next month (coaching/dates/until.py)."""
    request = turn.prepared
    if not isinstance(request, PauseRequest):
        request = parse_pause(turn.args)
    name, until, reason = request.name, request.until, request.reason
    if not name:
        reply(turn, "pause_usage")
        return
    deal = _one_deal(turn, name)
    if deal is None:
        return
    missing = [
        say(key) for key, given in (("pause_date", until), ("pause_reason", reason)) if not given
    ]
    if missing:
        reply(turn, "pause_missing", deal=deal.name, missing=" and ".join(missing))
        return
    reading = parse_until(until, turn.today)
    if reading.value is None:
        reply(turn, "pause_bad_date", deal=deal.name, text=until)
        return
    if reading.value <= turn.today:
        reply(turn, "pause_needs_future")
        return
    _set_pause(turn, deal, reading.value, reason)
    reply(
        turn, "pause_set", deal=deal.name, until=reading.value.isoformat(), reason=deal.pause_reason
    )


def resume(turn: Turn) -> None:
    deal = _one_deal(turn, turn.args)
    if deal is None:
        return
    if deal.paused_until is None:
        reply(turn, "not_paused", deal=deal.name)
        return
    _set_pause(turn, deal, None, None)
    reply(turn, "resumed", deal=deal.name)


def _set_pause(turn: Turn, deal: Deal, until: dt.date | None, reason: str | None) -> None:
    deals.set_pause(
        turn.session, deal, until=until, reason=reason, person_id=turn.person.id, now=turn.now
    )


def _one_deal(turn: Turn, query: str) -> Deal | None:
    """The rep's open deal matching `query`, or None after telling them why."""
    open_deals = queries.open_deals(turn.session, turn.person.id)
    if not query.strip():
        reply(turn, "deal_usage", example=open_deals[0].name if open_deals else "Acme")
        return None
    matches = match_deals(query, open_deals)
    if not matches:
        reply(turn, "deal_not_found", query=query.strip())
        return None
    if len(matches) > 1:
        names = ", ".join(deal.name for deal in matches[:8])
        reply(turn, "deal_ambiguous", query=query.strip(), names=names)
        return None
    return deals.deal(turn.session, matches[0].id)
