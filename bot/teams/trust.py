"""What a Teams activity must come from: an allowed tenant and a Bot Framework service URL.

The service URL is where the bot posts replies and warnings, so an activity naming any
other host is refused (and a stored reference to one is never written to): Microsoft's
Bot Framework and Teams hosts over https, plus loopback in the unauthenticated local
mode (the Emulator). The tenant allowlist is DEALCOACH_TEAMS_TENANTS with
MicrosoftAppTenantId; empty, it admits no tenant, except in the local mode.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings

# Hosts (and their subdomains) of the Bot Framework channels: Teams in the public cloud
# (smba.trafficmanager.net), government clouds, and the other Bot Framework channels.
BOT_FRAMEWORK_HOSTS = (
    "smba.trafficmanager.net",
    "botframework.com",
    "botframework.azure.us",
    "teams.microsoft.com",
    "teams.microsoft.us",
)
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost (what DEALCOACH_HOST must be in the local mode)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class TeamsTrust:
    """The tenants and service URLs one configuration accepts."""

    tenants: frozenset[str]
    local: bool  # the unauthenticated Emulator mode: any tenant when none is listed
    loopback: bool  # service URLs on this machine (the Emulator's, or a test's connector)

    def allows_tenant(self, tenant: str) -> bool:
        if not self.tenants:
            return self.local
        return tenant in self.tenants

    def allows_service_url(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        if self.loopback and parts.scheme in {"http", "https"} and is_loopback(host):
            return True
        if parts.scheme != "https" or parts.username or parts.password:
            return False
        return any(host == known or host.endswith("." + known) for known in BOT_FRAMEWORK_HOSTS)


def for_settings(settings: Settings) -> TeamsTrust:
    """Loopback service URLs only in the local mode (no MicrosoftAppId)."""
    local = not settings.microsoft_app_id
    return TeamsTrust(settings.teams_allowlist, local=local, loopback=local)
