"""The Teams app package: the zip a Teams admin uploads (manifest.json and two icons).

The manifest's words live in manifest.yaml and commands.yaml; the bot id comes from
settings; the command menu is checked against the conversation engine's commands.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from bot.teams import icons

HERE = Path(__file__).parent
GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
COLOR, OUTLINE = "color.png", "outline.png"
MAX_COMMANDS, MAX_TITLE, MAX_DESCRIPTION = 10, 32, 128
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same inputs give the same zip


class PackageError(Exception):
    """The package cannot be built; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Developer:
    """Who publishes the app, as Teams shows it under About."""

    name: str
    website_url: str
    privacy_url: str
    terms_url: str


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def default_developer() -> Developer:
    return Developer(**_load("manifest.yaml")["developer"])


def command_menu(engine_commands: Collection[str]) -> list[tuple[str, str]]:
    """(word, description) for the Teams command menu, in commands.yaml's order."""
    shown: dict[str, str] = _load("commands.yaml")["shown"]
    unknown = [word for word in shown if word not in engine_commands]
    if unknown:
        raise PackageError(
            f"commands.yaml lists {', '.join(unknown)}, which the bot does not understand"
        )
    return list(shown.items())


def unlisted_commands(engine_commands: Collection[str]) -> list[str]:
    """Engine commands neither in the menu nor marked hidden in commands.yaml."""
    data = _load("commands.yaml")
    known = set(data["shown"]) | set(data["hidden"])
    return sorted(word for word in engine_commands if word not in known)


def build_manifest(
    bot_id: str | None, commands: list[tuple[str, str]], developer: Developer
) -> dict[str, Any]:
    """manifest.json for a bot in personal chats and teams, with its command menu."""
    if not bot_id:
        raise PackageError(
            "MicrosoftAppId is not set: the package needs the bot's app id "
            "(Azure portal > your Azure Bot > Configuration > Microsoft App ID)"
        )
    if not GUID.match(bot_id):
        raise PackageError(
            "MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000 "
            f"(got {bot_id!r})"
        )
    for label, url in (
        ("--website", developer.website_url),
        ("--privacy-url", developer.privacy_url),
        ("--terms-url", developer.terms_url),
    ):
        if not url.startswith("https://"):
            raise PackageError(f"{label} must be an https:// address (got {url!r})")
    _check_commands(commands)
    text = _load("manifest.yaml")
    return {
        "$schema": text["schema"],
        "manifestVersion": text["manifest_version"],
        "version": version("dealcoach"),
        "id": bot_id.lower(),
        "developer": {
            "name": developer.name,
            "websiteUrl": developer.website_url,
            "privacyUrl": developer.privacy_url,
            "termsOfUseUrl": developer.terms_url,
        },
        "name": text["name"],
        "description": text["description"],
        "icons": {"color": COLOR, "outline": OUTLINE},
        "accentColor": icons.accent_hex(),
        "bots": [
            {
                "botId": bot_id.lower(),
                "scopes": text["scopes"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": text["scopes"],
                        "commands": [
                            {"title": word, "description": description}
                            for word, description in commands
                        ],
                    }
                ],
            }
        ],
        "permissions": text["permissions"],
        "validDomains": [],
    }


def _check_commands(commands: list[tuple[str, str]]) -> None:
    if len(commands) > MAX_COMMANDS:
        raise PackageError(f"Teams shows at most {MAX_COMMANDS} commands; commands.yaml has more")
    for word, description in commands:
        if len(word) > MAX_TITLE or len(description) > MAX_DESCRIPTION:
            raise PackageError(
                f"command {word!r}: Teams allows a title of {MAX_TITLE} characters and a "
                f"description of {MAX_DESCRIPTION}"
            )


def package_bytes(manifest: dict[str, Any]) -> bytes:
    """The zip: manifest.json and the two icons at its root."""
    files = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode(),
        COLOR: icons.color_icon(),
        OUTLINE: icons.outline_icon(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
