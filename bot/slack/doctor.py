"""`dealcoach doctor`'s Slack line: the bot token answers auth.test with every scope."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.slack.scopes import BOT_SCOPES


def check_slack(settings: Settings) -> tuple[bool, str]:
    """(healthy, one line) for the configured bot token."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        return False, f"auth.test refused the bot token ({error}): check SLACK_BOT_TOKEN"
    except Exception as exc:
        return False, f"cannot reach {settings.slack_api_url}: {exc}"
    headers = {key.lower(): value for key, value in (response.headers or {}).items()}
    granted = headers.get("x-oauth-scopes")
    where = f"workspace {response.get('team')} as @{response.get('user')}"
    if granted is None:
        return True, f"{where} (Slack did not list the token's scopes)"
    missing = sorted(set(BOT_SCOPES) - {scope.strip() for scope in str(granted).split(",")})
    if missing:
        return False, (
            f"the bot token lacks {', '.join(missing)}: add them under OAuth & Permissions "
            "(or update from manifest.yml) and reinstall the app"
        )
    return True, f"{where}, every scope granted"
