"""Bolt listeners: messages, clicks, the slash command, App Home and modals, into the engine.

The app runs with process_before_response, so a listener's return is the response
Slack waits for: each listener acks at once and leaves the real work (who is this,
the engine's transaction, views) to a background task. Slack's retries carry the
same event id, which the engine claims once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.checkins.cards import deal_card
from bot.checkins.qualification_edits import EDIT_ACTION, edit_value
from bot.engine.messages import Incoming, Message
from bot.engine.outgoing import Address, OutboxEntry, enqueue
from bot.engine.replies import say
from bot.infra.inbox import Inbox
from bot.infra.local_time import local_date
from bot.infra.services import Services
from bot.slack import home, modals
from bot.slack.blocks import neutral_action
from bot.slack.directory import Caller, SlackDirectory
from storage import deals, identities, people
from storage.row_ids import row_id

log = logging.getLogger(__name__)

SLASH_COMMAND = "/dealcoach"
MESSAGE_EVENT = "message"
HOME_EVENT = "app_home_opened"
REVOCATION_EVENTS = ("app_uninstalled", "tokens_revoked")
# Bolt event type -> the bot event the manifest subscribes to
BOT_EVENTS = {
    MESSAGE_EVENT: "message.im",
    HOME_EVENT: "app_home_opened",
    **{event: event for event in REVOCATION_EVENTS},
}
VIEWS = (modals.EDIT_VIEW, modals.PAUSE_VIEW)
ANY_ACTION = re.compile(r".+")


@dataclass(frozen=True, slots=True)
class Who:
    """A Slack user in one request: workspace, user, the bot token there, their DM if known."""

    team: str
    user: str
    token: str
    dm_channel: str | None = None


def register(app: AsyncApp, handlers: SlackHandlers) -> None:
    """Every listener the app has (the manifest test reads the same names)."""
    app.event(MESSAGE_EVENT)(handlers.on_message)
    app.event(HOME_EVENT)(handlers.on_home_opened)
    app.action(ANY_ACTION)(handlers.on_action)
    app.command(SLASH_COMMAND)(handlers.on_command)
    app.view(modals.EDIT_VIEW)(handlers.on_edit_submitted)
    app.view(modals.PAUSE_VIEW)(handlers.on_pause_submitted)


def register_revocations(app: AsyncApp) -> None:
    """With SLACK_BOT_TOKEN (one workspace), nothing is stored to delete: an uninstall
    or a revocation is acknowledged and logged for the admin. (With the OAuth install
    flow, Bolt's own listeners delete the workspace's stored token.)"""

    async def revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        log.warning(
            "Slack workspace %s sent %s: SLACK_BOT_TOKEN no longer works; remove it from "
            "the settings or reinstall the app",
            context.team_id,
            event.get("type"),
        )

    for event in REVOCATION_EVENTS:
        app.event(event)(revoked)


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class SlackHandlers:
    """What each listener does, after its ack."""

    def __init__(
        self, inbox: Inbox, services: Services, directory: SlackDirectory, api: AsyncWebClient
    ) -> None:
        self.inbox = inbox
        self.directory = directory
        self.api = api
        self.services = services
        self._tasks: set[asyncio.Task[None]] = set()

    # Background work

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:
            log.exception("handling a Slack request failed")

    async def idle(self) -> None:
        """Wait until the work of every acked request is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # Listeners (argument names are Bolt's)

    async def on_message(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        who = _who(context, event["user"], dm_channel=event.get("channel"))
        text = unescape(event.get("text") or "")
        self.spawn(self._say(who, text, f"event:{body['event_id']}"))

    async def on_home_opened(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("tab") == "home":
            self.spawn(self._publish_home(_who(context, event["user"])))

    async def on_action(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        neutral = neutral_action(action)
        if neutral is None:
            return
        channel = (body.get("channel") or {}).get("id")
        who = _who(context, body["user"]["id"], dm_channel=channel)
        view = body.get("view") or {}
        click = _Click(
            name=neutral[0],
            value=neutral[1],
            event_id=f"action:{who.user}:{action.get('action_ts')}",
            trigger_id=body.get("trigger_id"),
            from_home=view.get("type") == "home",
        )
        self.spawn(self._clicked(who, click))

    async def on_command(
        self, ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        text = " ".join((command.get("text") or "").split()) or "help"
        channel = str(command.get("channel_id") or "")
        direct = channel.startswith("D")
        if direct:
            await ack()
        else:
            await ack(text=say("slack_command_ack_channel", text=text))
        who = _who(context, command["user_id"], dm_channel=channel if direct else None)
        event_id = f"command:{command['trigger_id']}"
        self.spawn(self._command(who, text, None if direct else channel, event_id))

    async def on_edit_submitted(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        who = _who(context, body["user"]["id"])
        deal = modals.metadata(view).get("deal")
        if isinstance(deal, int):
            value = edit_value(deal, modals.submitted_answers(view))
            self.spawn(self._act(who, EDIT_ACTION, value, f"view:{view['id']}", refresh=True))

    async def on_pause_submitted(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        today = await asyncio.to_thread(
            self._today_of, _who(context, body["user"]["id"]).team, body
        )
        errors = modals.pause_errors(view, today)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        command = modals.pause_command(view)
        if command is not None:
            who = _who(context, body["user"]["id"])
            self.spawn(self._say(who, command, f"view:{view['id']}", refresh=True))

    # The work after the ack

    async def _caller(self, who: Who, event_id: str) -> int | None:
        """The person behind `who`, or None after telling them how to get linked."""
        caller = await self.directory.caller(
            who.team, who.user, token=who.token, dm_channel=who.dm_channel
        )
        if caller.person_id is None:
            await self._tell_unlinked(who, caller, event_id)
        return caller.person_id

    async def _say(self, who: Who, text: str, event_id: str, *, refresh: bool = False) -> None:
        person_id = await self._caller(who, event_id)
        if person_id is not None:
            await self.inbox.handle(
                Incoming(person_id=person_id, text=text, transport="slack", event_id=event_id)
            )
            if refresh:
                await self._publish_home(who, person_id)

    async def _act(
        self, who: Who, action: str, value: str, event_id: str, *, refresh: bool = False
    ) -> None:
        person_id = await self._caller(who, event_id)
        if person_id is not None:
            incoming = Incoming(
                person_id=person_id,
                action=action,
                value=value,
                transport="slack",
                event_id=event_id,
            )
            await self.inbox.handle(incoming)
            if refresh:
                await self._publish_home(who, person_id)

    async def _command(self, who: Who, text: str, channel: str | None, event_id: str) -> None:
        if channel is not None:
            await asyncio.to_thread(self.directory.remember_channel, channel, who.team)
        person_id = await self._caller(who, event_id)
        member = channel is None or await self.directory.is_member(channel, who.token)
        if person_id is not None and not member:
            notice = say("slack_not_in_channel", channel=channel, text=text)
            await self._tell(who, notice, f"{event_id}:not-in-channel")
            return
        if person_id is not None:
            incoming = Incoming(
                person_id=person_id,
                text=text,
                transport="slack",
                event_id=event_id,
                channel=channel,
            )
            await self.inbox.handle(incoming)

    async def _clicked(self, who: Who, click: _Click) -> None:
        if click.name in {home.OPEN_EDIT, home.OPEN_PAUSE}:
            person_id = await self._caller(who, click.event_id)
            deal_id = row_id(click.value)
            if person_id is not None and click.trigger_id and deal_id:
                view = await asyncio.to_thread(
                    self._modal, person_id, deal_id, click.name == home.OPEN_EDIT
                )
                await self.api.views_open(token=who.token, trigger_id=click.trigger_id, view=view)
        elif click.name == home.TYPE_ACTION:
            await self._say(who, click.value, click.event_id, refresh=click.from_home)
        else:
            await self._act(who, click.name, click.value, click.event_id, refresh=click.from_home)

    async def _publish_home(self, who: Who, person_id: int | None = None) -> None:
        if person_id is None:
            caller = await self.directory.caller(who.team, who.user, token=who.token)
            person_id = caller.person_id
            if person_id is None:
                view = home.unlinked_home_view(_unlinked_text(who, caller))
                await self.api.views_publish(token=who.token, user_id=who.user, view=view)
                return
        view = await asyncio.to_thread(self._home, person_id)
        await self.api.views_publish(token=who.token, user_id=who.user, view=view)

    async def _tell_unlinked(self, who: Who, caller: Caller, event_id: str) -> None:
        await self._tell(who, _unlinked_text(who, caller), f"{event_id}:unlinked")

    async def _tell(self, who: Who, text: str, key: str) -> None:
        """A notice in the user's DM, through the outbox."""
        channel = who.dm_channel or await self.directory.direct_channel(who.user, who.token)
        await asyncio.to_thread(self._enqueue_notice, who.team, channel, text, key)
        self.inbox.kick()

    # Database reads and writes (in worker threads)

    def _enqueue_notice(self, team: str, channel: str, text: str, key: str) -> None:
        """A notice (to an unknown user, say) goes through the outbox like everything else."""
        self.directory.remember_channel(channel, team)
        now = self.services.clock.now()
        entry = OutboxEntry(
            f"in:slack:{key}",
            Address("slack", f"channel:{channel}"),
            Message.text(text),
        )
        with self.services.database.transaction() as session:
            enqueue(session, [entry], now)

    def _today_of(self, team: str, body: dict[str, Any]) -> dt.date:
        """The submitting person's local date (UTC's for someone not linked yet)."""
        now = self.services.clock.now()
        with self.services.database.transaction() as session:
            person_id = identities.person_for(session, "slack", team, body["user"]["id"])
            timezone = people.person(session, person_id).timezone if person_id else "UTC"
        return local_date(now, timezone)

    def _home(self, person_id: int) -> dict[str, Any]:
        services = self.services
        with services.database.transaction() as session:
            person = people.person(session, person_id)
            data = home.load_home(
                session,
                person,
                services.playbook,
                services.settings.checkin_rules,
                services.clock.now(),
            )
        return home.home_view(data)

    def _modal(self, person_id: int, deal_id: int, edit: bool) -> dict[str, Any]:
        services = self.services
        with services.database.transaction() as session:
            deal = deals.owned_open_deal(session, deal_id, person_id)
            if deal is None:
                return modals.notice_modal(say("slack_deal_gone"))
            if not edit:
                return modals.pause_modal(deal.id, deal.name, deal.crm_id)
            card = deal_card(session, services.playbook, deal, services.clock.now())
        return modals.edit_modal(card)


@dataclass(frozen=True, slots=True)
class _Click:
    name: str
    value: str
    event_id: str
    trigger_id: str | None
    from_home: bool


def _who(context: AsyncBoltContext, user: str, dm_channel: str | None = None) -> Who:
    return Who(
        team=str(context.team_id or context.enterprise_id or ""),
        user=user,
        token=str(context.bot_token or ""),
        dm_channel=dm_channel if dm_channel and dm_channel.startswith("D") else None,
    )


def _unlinked_text(who: Who, caller: Caller) -> str:
    if caller.email:
        return say("slack_unlinked", email=caller.email, user=who.user)
    return say("slack_unlinked_no_email", user=who.user)
