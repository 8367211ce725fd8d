"""The App Home tab: the rep's open deals with their gaps and health, the next check-in,
and buttons to check in, snooze, edit a deal's qualification or pause it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.checkins.cards import open_cards
from bot.checkins.views import deal_line
from bot.engine.formatting import local_moment
from bot.engine.replies import say
from bot.slack.blocks import Block, button, context, header, sections
from coaching.checkin_policy import CheckinRules, schedule_for
from coaching.playbook import Playbook
from coaching.qualification import QualificationCard
from storage import checkins
from storage.models import Person

TYPE_ACTION = "type"  # a button that says its value as if the rep had typed it
OPEN_EDIT = "open_edit"  # value: deal id
OPEN_PAUSE = "open_pause"  # value: deal id
MAX_DEALS = 40  # a home view holds at most 100 blocks; a deal takes two


@dataclass(frozen=True, slots=True)
class Home:
    cards: list[QualificationCard]
    next_checkin: str
    snoozed_until: str | None


def load_home(
    session: Session, person: Person, playbook: Playbook, rules: CheckinRules, now: dt.datetime
) -> Home:
    cards = open_cards(session, playbook, person.id, now)
    snoozed = person.snoozed_until if person.snoozed_until and person.snoozed_until > now else None
    rhythm = checkins.rep_rhythms(session, [person.id]).get(person.id)
    slot = schedule_for(rhythm, rules).next_slot(snoozed or now) if rhythm else None
    zone = person.timezone
    next_checkin = (
        say("next_checkin", when=local_moment(slot, zone)) if slot else say("no_next_checkin")
    )
    return Home(cards, next_checkin, local_moment(snoozed, zone) if snoozed else None)


def home_view(home: Home) -> dict[str, Any]:
    blocks: list[Block] = [header(say("slack_home_heading"))]
    blocks.append(context(say("slack_home_next_checkin", next=home.next_checkin)))
    if home.snoozed_until:
        blocks.append(context(say("slack_home_snoozed", until=home.snoozed_until)))
        rhythm = [button(TYPE_ACTION, "unsnooze", say("slack_home_unsnooze"), "unsnooze")]
    else:
        rhythm = [
            button(TYPE_ACTION, "snooze_day", say("slack_home_snooze_day"), "snooze 1d"),
            button(TYPE_ACTION, "snooze_week", say("slack_home_snooze_week"), "snooze 1w"),
        ]
    checkin = button(TYPE_ACTION, "checkin", say("slack_home_checkin_now"), "checkin", "primary")
    blocks.append({"type": "actions", "elements": [checkin, *rhythm]})
    blocks.append({"type": "divider"})
    if not home.cards:
        blocks.extend(sections(say("no_open_deals")))
    for card in home.cards[:MAX_DEALS]:
        blocks.extend(_deal_blocks(card))
    if len(home.cards) > MAX_DEALS:
        blocks.append(context(say("slack_home_more", count=len(home.cards) - MAX_DEALS)))
    return {"type": "home", "blocks": blocks}


def _deal_blocks(card: QualificationCard) -> list[Block]:
    deal = card.deal
    text = deal_line(card)
    if deal.paused_until:
        paused = say("slack_home_paused", until=deal.paused_until, reason=deal.pause_reason)
        text = f"{text}\n_{paused}_"
    deal_id = str(deal.id)
    edit = button(OPEN_EDIT, deal_id, say("slack_home_edit"), deal_id)
    if deal.paused_until:
        pause = button(
            TYPE_ACTION, f"resume_{deal_id}", say("slack_home_resume"), f"resume {deal.crm_id}"
        )
    else:
        pause = button(OPEN_PAUSE, deal_id, say("slack_home_pause"), deal_id)
    section = sections(text)[0]
    return [section, {"type": "actions", "elements": [edit, pause]}]


def unlinked_home_view(text: str) -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [header(say("slack_home_unlinked_heading")), *sections(text)],
    }
