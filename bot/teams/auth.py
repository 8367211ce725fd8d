"""Bot Framework authentication from our settings (MicrosoftAppId and friends).

With no app id, authentication is off: the unauthenticated local mode the Bot
Framework Emulator uses. Outbound calls then carry no token either.
"""

from __future__ import annotations

from types import SimpleNamespace

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import (
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
)

from bot.settings import Settings


def build_authentication(settings: Settings) -> BotFrameworkAuthentication:
    """Inbound token validation and outbound credentials, as botbuilder configures them."""
    configuration = SimpleNamespace(
        APP_ID=settings.microsoft_app_id or "",
        APP_PASSWORD=settings.microsoft_app_password or "",
        APP_TYPE=settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id or "",
    )
    return ConfigurationBotFrameworkAuthentication(configuration)


def bot_identity(app_id: str | None) -> ClaimsIdentity:
    """The bot's own claims, for proactive calls (what CloudAdapter builds for them)."""
    claims = {
        AuthenticationConstants.AUDIENCE_CLAIM: app_id or "",
        AuthenticationConstants.APP_ID_CLAIM: app_id or "",
    }
    return ClaimsIdentity(claims, True)
