"""`dealcoach doctor`'s Teams line: the app id is a GUID and its password gets a token."""

from __future__ import annotations

from botframework.connector.auth import MicrosoftAppCredentials

from bot.settings import Settings
from bot.teams.package import GUID


def check_teams(settings: Settings) -> tuple[bool, str]:
    """(healthy, one line) for the configured Azure Bot registration."""
    app_id = settings.microsoft_app_id or ""
    if not GUID.match(app_id):
        return False, "MicrosoftAppId must be the GUID of the Azure Bot registration"
    if settings.microsoft_app_type == "UserAssignedMSI":
        return True, f"app {app_id} with a managed identity (checked when the bot sends)"
    credentials = MicrosoftAppCredentials(
        app_id,
        settings.microsoft_app_password or "",
        channel_auth_tenant=settings.microsoft_app_tenant_id,
    )
    try:
        token = credentials.get_access_token()
    except Exception as exc:
        return False, f"no token for app {app_id}: {exc}: check MicrosoftAppPassword"
    if not token:
        return False, f"no token for app {app_id}: check MicrosoftAppPassword"
    return True, f"app {app_id} gets a Bot Framework token"
