"""The Slack outbox sender: chat.postMessage and chat.update, paced and idempotent.

Outcomes for delivery: a 429 is RetryLater(Retry-After, rate_limited); a 5xx, a
timeout or a dropped connection is RetryLater(None) (delivery backs off with jitter);
Slack's refusals (channel_not_found, not_in_channel, user_not_found...) are Failed.

Idempotency: every post carries message metadata naming its outbox key and part. When
an earlier attempt may have posted (the outbox flags `in_doubt` after a lease expired,
or this process saw a timeout or 5xx on that key), a direct message's recent history
(conversations.history, im:history, which message.im needs anyway) is read first and
only the missing parts are posted. Channel posts are not checked: reading a
channel's history would need channels:history and groups:history on every channel the
bot is in, for a duplicate that only a crash in mid-post can cause.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.engine.messages import Image, Message
from bot.engine.pictures import draw_pictures, has_pictures
from bot.infra.delivery import Delivered, Failed, RetryLater, SendResult
from bot.slack.blocks import SlackPost, render
from bot.slack.directory import Destination, SlackDirectory
from bot.slack.pacing import ChannelPacer
from bot.slack.workspaces import Unreachable
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)
METADATA_EVENT = "dealcoach_outbox"
HISTORY_LIMIT = 100
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}


def reference(channel: str, ts: str) -> str:
    """How a posted message is remembered in the outbox: `<channel>:<ts>`."""
    return f"{channel}:{ts}"


def parse_reference(ref: str) -> tuple[str, str] | None:
    channel, _, ts = ref.partition(":")
    return (channel, ts) if channel and ts else None


class SlackSender:
    """Delivers outbox messages of transport "slack"."""

    transport = "slack"

    def __init__(
        self, client: AsyncWebClient, directory: SlackDirectory, pacer: ChannelPacer
    ) -> None:
        self.client = client
        self.directory = directory
        self.pacer = pacer
        self._uncertain: set[str] = set()  # keys whose last attempt may have posted

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        try:
            destination = await self.directory.destination(item.recipient)
            if item.kind == "update":
                return await self._update(item, message, replaces, destination)
            result = await self._post(item, render(message), destination)
            if isinstance(result, Delivered):
                await self._upload_images(message, destination)
            return result
        except Unreachable as exc:
            return Failed(str(exc))
        except SlackApiError as exc:
            return self._refused(item, exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._uncertain.add(item.key)
            return RetryLater(None, f"Slack did not answer: {exc!r}")

    async def _post(
        self, item: OutboxItem, posts: list[SlackPost], destination: Destination
    ) -> SendResult:
        posted: dict[int, str] = {}
        if destination.direct and (item.in_doubt or item.key in self._uncertain):
            posted = await self._already_posted(item.key, destination)
        if 0 not in posted:
            wait = self.pacer.reserve(destination.channel)
            if wait > 0:
                return RetryLater(wait, f"pacing {destination.channel}", rate_limited=True)
        for part, post in enumerate(posts):
            if part not in posted:
                posted[part] = await self._post_part(item, part, post, destination)
        self._uncertain.discard(item.key)
        return Delivered(reference(destination.channel, posted[0]))

    async def _post_part(
        self, item: OutboxItem, part: int, post: SlackPost, destination: Destination
    ) -> str:
        self._uncertain.add(item.key)  # until Slack answers, the post may or may not exist
        response = await self.client.chat_postMessage(
            token=destination.token,
            channel=destination.channel,
            text=post.text,
            blocks=post.blocks or None,
            metadata={
                "event_type": METADATA_EVENT,
                "event_payload": {"key": item.key, "part": part},
            },
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])

    async def _upload_images(self, message: Message, destination: Destination) -> None:
        """Each picture as a file in the same conversation, with Slack's upload v2:
        files.getUploadURLExternal, the bytes to that URL, files.completeUploadExternal."""
        if not has_pictures(message):
            return
        drawn = await asyncio.to_thread(draw_pictures, message)
        for image in (block for block in drawn.blocks if isinstance(block, Image)):
            try:
                await self.client.files_upload_v2(
                    token=destination.token,
                    channel=destination.channel,
                    content=image.data,
                    filename=image.name,
                    title=image.alt,
                    alt_txt=image.alt,
                )
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
                # the message itself is posted; posting it again would not bring the file
                log.warning("could not upload %s to %s: %r", image.name, destination.channel, exc)

    async def _update(
        self, item: OutboxItem, message: Message, replaces: str | None, destination: Destination
    ) -> SendResult:
        """chat.update of the message `replaces` points at; parts beyond the first are posted."""
        target = parse_reference(replaces) if replaces else None
        if target is None:
            log.info("nothing to update for %s (the original was never delivered)", item.key)
            return Delivered(None)
        channel, ts = target
        first, *rest = render(message)
        await self.client.chat_update(
            token=destination.token, channel=channel, ts=ts, text=first.text, blocks=first.blocks
        )
        for part, post in enumerate(rest, start=1):
            await self._post_part(item, part, post, destination)
        self._uncertain.discard(item.key)
        return Delivered(reference(channel, ts))

    async def _already_posted(self, key: str, destination: Destination) -> dict[int, str]:
        """Parts of this outbox message found in the channel's recent history: part -> ts."""
        response = await self.client.conversations_history(
            token=destination.token,
            channel=destination.channel,
            limit=HISTORY_LIMIT,
            include_all_metadata=True,
        )
        found: dict[int, str] = {}
        messages: list[dict[str, Any]] = response.get("messages") or []
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                found[int(payload.get("part", 0))] = str(message["ts"])
        if found:
            log.info("%s was already posted (%d parts); not posting those again", key, len(found))
        return found

    def _refused(self, item: OutboxItem, exc: SlackApiError) -> SendResult:
        response = exc.response
        status = response.status_code
        error = _error_code(response.data)
        if status == 429 or error == "ratelimited":
            return RetryLater(
                _retry_after(response.headers), "rate limited (429)", rate_limited=True
            )
        if status >= 500 or error in TRANSIENT_ERRORS:
            self._uncertain.add(item.key)
            return RetryLater(None, f"Slack error {status}: {error or 'no detail'}")
        self._uncertain.discard(item.key)
        return Failed(f"Slack refused the message: {error or status}")


def _error_code(data: Any) -> str:
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def _retry_after(headers: Any) -> float:
    try:
        return max(1.0, float(headers.get("Retry-After", 1)))
    except (TypeError, ValueError):
        return 1.0
