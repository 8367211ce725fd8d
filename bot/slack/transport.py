"""The Slack transport: one Bolt AsyncApp in HTTP mode, Socket Mode, or both.

HTTP mode (SLACK_SIGNING_SECRET): events, interactivity and the slash command all
arrive at POST /slack/events on the shared aiohttp server, checked by inbound.py
before Bolt sees them (a forged or stale request gets 401, a signed body Bolt could
not handle 400). Socket Mode (SLACK_APP_TOKEN): the same app
is reached over a WebSocket that start() opens, so no public URL is needed.
Several workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): the OAuth routes are
mounted and each workspace's token comes from its stored installation.
Every Web API call goes to SLACK_API_URL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.infra.delivery import Sender
from bot.infra.inbox import Inbox
from bot.infra.server import TransportStartError
from bot.infra.services import Services
from bot.slack import inbound, oauth
from bot.slack.allowlist import WorkspaceAllowlist
from bot.slack.directory import SlackDirectory
from bot.slack.listeners import SlackHandlers, register, register_revocations
from bot.slack.pacing import ChannelPacer
from bot.slack.scopes import BOT_SCOPES
from bot.slack.sender import SlackSender
from bot.slack.workspaces import InstalledWorkspaces, SingleWorkspace, Workspaces
from storage import slack_workspaces
from storage.sealing import TokenKeyError, TokenSealer

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
API_TIMEOUT = 10
BOLT_ENVIRONMENT = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
)


@contextmanager
def _settings_only() -> Iterator[None]:
    """Bolt also reads SLACK_* variables from the environment by itself (a blank
    SLACK_CLIENT_ID would switch it to file-based OAuth stores): while the app is built,
    it sees only what our settings hand it."""
    saved = {name: os.environ.pop(name) for name in BOLT_ENVIRONMENT if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


class SlackTransport:
    """`ChatTransport` for Slack: routes, the outbox sender, Socket Mode start and stop.
    It hands what people say to the `inbox`; `services` give it the settings, the
    database (workspaces, the directory) and what App Home and modals show."""

    name = "slack"

    def __init__(
        self, services: Services, inbox: Inbox, *, pacer: ChannelPacer | None = None
    ) -> None:
        settings = self.settings = services.settings
        self.services = services
        self.base_url = settings.slack_api_url.rstrip("/") + "/"
        # Our own calls name their token; retries are the outbox's job, not the client's.
        self.api = AsyncWebClient(base_url=self.base_url, timeout=API_TIMEOUT, retry_handlers=[])
        self.multi_workspace = bool(settings.slack_client_id and settings.slack_client_secret)
        workspaces: Workspaces
        if self.multi_workspace:
            workspaces = InstalledWorkspaces(
                services.database, settings.slack_allowlist, TokenSealer(settings.token_key)
            )
            self.allowlist = WorkspaceAllowlist(settings.slack_allowlist)
        else:
            single = SingleWorkspace(self.api, settings.slack_bot_token or "")
            workspaces = single
            self.allowlist = WorkspaceAllowlist(settings.slack_allowlist, single.team)
        with _settings_only():
            self.app = self._bolt_app()
        self.app.use(self.allowlist.middleware)
        self.directory = SlackDirectory(
            services.database,
            self.api,
            workspaces,
            services.clock,
            notify_by_email=settings.email_enabled,
        )
        self.sender: Sender = SlackSender(
            self.api, self.directory, pacer or ChannelPacer(time.monotonic)
        )
        self.handlers = SlackHandlers(inbox, services, self.directory, self.api)
        register(self.app, self.handlers)
        if self.multi_workspace:
            self.app.enable_token_revocation_listeners()
        else:
            register_revocations(self.app)
        self.socket_mode: AsyncSocketModeHandler | None = None
        self._connecting: asyncio.Task[None] | None = None

    def _bolt_app(self) -> AsyncApp:
        settings, services = self.settings, self.services
        signing_secret = settings.slack_signing_secret or ""
        if self.multi_workspace:
            return AsyncApp(
                signing_secret=signing_secret,
                client=AsyncWebClient(base_url=self.base_url, timeout=API_TIMEOUT),
                oauth_settings=oauth.oauth_settings(
                    settings, services.database, services.clock, BOT_SCOPES, self.allowlist
                ),
                process_before_response=True,
            )
        token = settings.slack_bot_token or ""
        return AsyncApp(
            signing_secret=signing_secret,
            client=AsyncWebClient(token=token, base_url=self.base_url, timeout=API_TIMEOUT),
            process_before_response=True,
        )

    @property
    def http_mode(self) -> bool:
        return bool(self.settings.slack_signing_secret)

    def add_routes(self, app: web.Application) -> None:
        if self.http_mode:
            app.router.add_post(EVENTS_PATH, self._events)
        if self.multi_workspace:
            app.router.add_get(oauth.INSTALL_PATH, self._install)
            app.router.add_get(oauth.REDIRECT_PATH, self._oauth_redirect)

    async def start(self) -> None:
        """Check the tokens with Slack, then connect Socket Mode when SLACK_APP_TOKEN is set
        (in the background: the SDK reconnects by itself)."""
        if not self.multi_workspace:
            await self._check_bot_token()
        else:
            await asyncio.to_thread(self._check_token_key)
        if not self.settings.slack_app_token:
            log.info("Slack in HTTP mode at %s", EVENTS_PATH)
            return
        url = await self._socket_url(self.settings.slack_app_token)
        self.socket_mode = AsyncSocketModeHandler(
            self.app, self.settings.slack_app_token, web_client=self.api
        )
        self.socket_mode.client.wss_uri = url
        self._connecting = asyncio.create_task(self.socket_mode.connect_async())
        log.info("Slack in Socket Mode")

    async def stop(self) -> None:
        if self.socket_mode is not None:
            await self.socket_mode.close_async()
            self.socket_mode = None
        if self._connecting is not None:
            self._connecting.cancel()
            with suppress(asyncio.CancelledError):
                await self._connecting
            self._connecting = None
        await self.handlers.idle()

    def _check_token_key(self) -> None:
        """Stored tokens need DEALCOACH_TOKEN_KEY, the one they were sealed with."""
        with self.services.database.transaction() as session:
            sealed = slack_workspaces.sealed_tokens(session)
        if sealed and not self.settings.token_key:
            raise TransportStartError(
                f"DEALCOACH_TOKEN_KEY: required: {len(sealed)} Slack workspace token(s) are "
                "stored sealed with it; set the key they were sealed with"
            )
        if sealed:
            try:
                TokenSealer(self.settings.token_key).unseal(sealed[0])
            except TokenKeyError as exc:
                raise TransportStartError(str(exc)) from None

    async def _check_bot_token(self) -> None:
        token = self.settings.slack_bot_token or ""
        try:
            await self.api.auth_test(token=token)
        except SlackApiError as exc:
            raise TransportStartError(
                f"Slack refused SLACK_BOT_TOKEN ({exc.response.get('error')}): copy the Bot User "
                "OAuth Token (xoxb-) from the app's OAuth & Permissions page"
            ) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning(
                "could not reach Slack at %s to check the bot token: %r", self.base_url, exc
            )

    async def _socket_url(self, app_token: str) -> str | None:
        """A Socket Mode URL, which also proves the app-level token (None: Slack unreachable,
        the SDK will keep trying)."""
        try:
            response = await self.api.apps_connections_open(app_token=app_token)
        except SlackApiError as exc:
            raise TransportStartError(
                f"Slack refused SLACK_APP_TOKEN ({exc.response.get('error')}): create an "
                "app-level token (xapp-) with the connections:write scope on the app's Basic "
                "Information page"
            ) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not reach Slack at %s for Socket Mode: %r", self.base_url, exc)
            return None
        return str(response["url"])

    async def _events(self, request: web.Request) -> web.Response:
        refusal = await inbound.refusal(request, self.settings.slack_signing_secret or "")
        if refusal is not None:
            return refusal
        response = await self.app.async_dispatch(await inbound.bolt_request(request))
        return await to_aiohttp_response(response)

    async def _install(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        assert flow is not None
        response = await flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _oauth_redirect(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        assert flow is not None
        response = await flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(response)
