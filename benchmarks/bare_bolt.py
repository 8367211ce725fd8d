"""The floor of the Slack event path: a bare Bolt AsyncApp that acks and posts one reply.

    python -m benchmarks.bare_bolt

Reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL and PORT; serves
POST /slack/events on 127.0.0.1 with Bolt's own aiohttp server (Bolt acks an event
before its listener runs). No database, no outbox: the least any Bolt app does.
"""

from __future__ import annotations

import os
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

REPLY = "Thanks, noted."


def build_app(token: str, signing_secret: str, api_url: str) -> AsyncApp:
    client = AsyncWebClient(token=token, base_url=api_url)
    app = AsyncApp(token=token, signing_secret=signing_secret, client=client)

    @app.event("message")
    async def reply(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], text=REPLY)

    return app


def main() -> None:
    port = int(os.environ["PORT"])
    app = build_app(
        os.environ["SLACK_BOT_TOKEN"],
        os.environ["SLACK_SIGNING_SECRET"],
        os.environ["SLACK_API_URL"],
    )
    web_app = app.web_app(path="/slack/events", port=port)
    web.run_app(web_app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
