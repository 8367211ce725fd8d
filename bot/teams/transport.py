"""Teams as a chat transport: `/api/messages` on the shared server, and its outbox sender."""

from __future__ import annotations

import logging

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.infra.delivery import Sender
from bot.infra.inbox import Inbox
from bot.infra.server import TransportStartError
from bot.infra.services import Services
from bot.teams import trust
from bot.teams.auth import build_authentication
from bot.teams.directory import TRANSPORT, TeamsDirectory
from bot.teams.endpoint import PATH, MessagesEndpoint
from bot.teams.handler import TeamsBot
from bot.teams.sender import Connectors, TeamsSender

log = logging.getLogger(__name__)
LOCAL_MODE_WARNING = """
**********************************************************************
*  TEAMS LOCAL MODE: MicrosoftAppId is not set, so %s accepts
*  activities WITHOUT AUTHENTICATION (what the Bot Framework Emulator
*  needs). Never expose this server: set MicrosoftAppId and
*  MicrosoftAppPassword from the Azure Bot registration for Teams.
**********************************************************************"""


class TeamsTransport:
    """Bot Framework's CloudAdapter behind our endpoint, our handler and our sender."""

    name = TRANSPORT

    def __init__(self, services: Services, inbox: Inbox) -> None:
        # botbuilder's schema warns about every channelData field it does not model
        # (eventType, source, settings...): normal Teams traffic, not worth a warning.
        logging.getLogger("msrest.serialization").setLevel(logging.ERROR)
        settings = self.settings = services.settings
        self.authentication = build_authentication(settings)
        self.adapter = CloudAdapter(self.authentication)
        self.directory = TeamsDirectory(
            services.database, services.clock, notify_by_email=settings.email_enabled
        )
        self.bot = TeamsBot(inbox, self.directory)
        self.trust = trust.for_settings(settings)
        self.endpoint = MessagesEndpoint(self.adapter, self.authentication, self.bot, self.trust)
        self.sender: Sender = TeamsSender(
            services.database,
            Connectors(self.authentication, settings.microsoft_app_id),
            self.trust,
        )

    @property
    def authenticated(self) -> bool:
        return bool(self.settings.microsoft_app_id)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(PATH, self.endpoint.handle)

    async def start(self) -> None:
        if not self.authenticated:
            if not trust.is_loopback(self.settings.host):
                raise TransportStartError(
                    f"Teams local mode (no MicrosoftAppId) accepts activities without "
                    f"authentication, so it only listens on this machine: set "
                    f"DEALCOACH_HOST=127.0.0.1 (not {self.settings.host}), or set MicrosoftAppId "
                    "and MicrosoftAppPassword from the Azure Bot registration"
                )
            log.warning(LOCAL_MODE_WARNING, PATH)
            return
        if not self.trust.tenants:
            log.warning(
                "Teams: no tenant may talk to the bot: list them in DEALCOACH_TEAMS_TENANTS "
                "(or set MicrosoftAppTenantId)"
            )
        log.info(
            "Teams: %s accepts activities for app %s (%s)",
            PATH,
            self.settings.microsoft_app_id,
            self.settings.microsoft_app_type,
        )

    async def stop(self) -> None:
        """Finish the turns of requests already answered; delivery stops apart."""
        await self.endpoint.turns.idle()
