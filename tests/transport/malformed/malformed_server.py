"""The real server the corpus is replayed against, its seeded data, and what changed.

Two configurations ("apps") cover every endpoint: `local` is Slack HTTP mode with one
workspace's token plus Teams in its unauthenticated local mode; `secured` is Slack
with OAuth (several workspaces, `/slack/install` and `/slack/oauth_redirect`) plus
Teams with an app id, whose tokens botbuilder validates against a signing key the
tests publish in its key cache (Microsoft's cannot be fetched offline).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from botframework.connector.auth import AuthenticationConstants, jwt_token_extractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from malformed_corpus import Request
from sqlalchemy import select
from support import TOKEN_KEY, make_services, message_of, person_id

from bot.bootstrap import App, build_app
from bot.engine.messages import Incoming
from bot.engine.text_render import render_text
from bot.slack.pacing import ChannelPacer
from bot.slack.transport import SlackTransport
from bot.teams.transport import TeamsTransport
from bot.teams.trust import TeamsTrust
from coaching.clock import FixedClock
from storage import identities, queries, slack_workspaces
from storage.db import Database
from storage.demo import load_demo
from storage.models import Base, CheckIn, OutboxMessage
from storage.sealing import TokenSealer
from testkit.background import serving
from testkit.slack_api import FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1-dealcoach-malformed"
TEAM = "T1"
CLIENT_ID = "1111111111.2222222222"
APP_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
TENANT = "5d2f6c1e-8a4b-4f3e-9c7d-2b1a0e9f8d7c"
ALEX_AAD = "0a1b2c3d-0000-4000-8000-00000000a1e5"
KEY_ID = "dealcoach-malformed-key"
KEYS_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
SLACK_USERS = {"U1": "alex@example.com", "U2": "dana@example.com", "U3": "priya@example.com"}


def fake_slack() -> FakeSlack:
    """A fake Slack whose workspace T1 has Alex (U1), Dana (U2), Priya (U3), a visitor
    (U9) and a channel C1."""
    slack = FakeSlack()
    slack.add_workspace(TEAM, BOT_TOKEN)
    for user, email in SLACK_USERS.items():
        slack.add_user(user, email, team=TEAM, name=email.split("@")[0].title())
    slack.add_user("U9", "visitor@elsewhere.example", team=TEAM, name="Vic Visitor")
    slack.add_channel("C1", TEAM)
    return slack


def seed(database: Database, clock: FixedClock) -> dict[str, str]:
    """The demo pipeline; Alex, Dana and Priya linked in Slack (and Alex in Teams), so
    no case is anyone's first contact; Slack's T1 installed for the OAuth app; Priya
    in the middle of a check-in. Returns the corpus's placeholder values."""
    now = clock.now()
    with database.transaction() as session:
        load_demo(session, now)
    people = {email: person_id(database, email) for email in SLACK_USERS.values()}
    with database.transaction() as session:
        for index, (user, email) in enumerate(SLACK_USERS.items(), start=1):
            identities.link(
                session,
                person_id=people[email],
                platform="slack",
                tenant=TEAM,
                external_id=user,
                now=now,
                dm_channel=f"D{index}",
            )
        identities.link(
            session,
            person_id=people["alex@example.com"],
            platform="teams",
            tenant=TENANT,
            external_id=ALEX_AAD,
            now=now,
        )
        slack_workspaces.save_installation(
            session,
            {
                "team_id": TEAM,
                "team_name": "Acme Sales",
                "app_id": "A1",
                "bot_token": TokenSealer(TOKEN_KEY).seal(BOT_TOKEN),
                "bot_id": "BT1",
                "bot_user_id": "UBT1",
                "bot_scopes": "chat:write",
                "is_enterprise_install": False,
                "installed_at": now,
            },
        )
    priya = people["priya@example.com"]
    build_app(make_services(database, clock)).engine.handle(
        Incoming(person_id=priya, text="checkin", transport="console")
    )
    with database.transaction() as session:
        checkin = session.scalars(select(CheckIn).where(CheckIn.rep_id == priya)).one()
        question = min(question.id for question in checkin.questions)
        alex_deal = queries.open_deals(session, people["alex@example.com"])[0]
        priya_deal = queries.open_deals(session, priya)[0].id
        slack_workspaces.remember_channel(session, "C1", TEAM, now)
        return {
            "others_question": str(question),
            "alex_deal": str(alex_deal.id),
            "alex_crm": alex_deal.crm_id,
            "others_deal": str(priya_deal),
        }


def app_for(name: str, database: Database, clock: FixedClock, slack: FakeSlack) -> App:
    slack_settings: dict[str, Any] = {
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.base_url,
    }
    if name == "local":
        settings = slack_settings | {"slack_bot_token": BOT_TOKEN, "teams_local": True}
    else:
        settings = slack_settings | {
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": "client-secret",
            "microsoft_app_id": APP_ID,
            "microsoft_app_password": "not-used-offline",
            "slack_workspaces": TEAM,
            "token_key": TOKEN_KEY,
            "teams_tenants": TENANT,
        }
    return build_app(make_services(database, clock, **settings))


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


class CorpusServer:
    """The app's real server (the bootstrap's), with the real Slack and Teams
    transports, on 127.0.0.1 (port 0)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.server = app.server(slack_pacer=ChannelPacer(time.monotonic, burst=1000))
        slack, teams = self.server.transports
        assert isinstance(slack, SlackTransport) and isinstance(teams, TeamsTransport)
        self.slack, self.teams = slack, teams
        if teams.authenticated:  # the fake connector is on 127.0.0.1, trusted here
            loopback = TeamsTrust(teams.trust.tenants, local=False, loopback=True)
            teams.trust = teams.endpoint.trust = teams.sender.trust = loopback
        self.url = ""
        self._served = AsyncExitStack()

    async def __aenter__(self) -> CorpusServer:
        self.url = await self._served.enter_async_context(serving(self.server.web_app))
        await self.slack.start()
        await self.teams.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.slack.stop()
        await self.teams.stop()
        await self._served.aclose()

    async def send(self, request: Request) -> Answer:
        return await send(self.url, request)

    async def settle(self) -> None:
        """Wait for the work Slack's listeners and Teams' turns do after the answer."""
        await self.slack.handlers.idle()
        await self.teams.endpoint.turns.idle()


async def send(url: str, request: Request) -> Answer:
    """One request, as raw as aiohttp's client allows (no headers of its own added but
    Host, Content-Length or chunked encoding)."""
    body = request.body() if callable(request.body) else request.body
    async with (
        aiohttp.ClientSession(skip_auto_headers=("Content-Type", "User-Agent")) as client,
        client.request(
            request.method,
            url + request.path,
            data=body,
            headers=request.headers,
            allow_redirects=False,
        ) as response,
    ):
        return Answer(response.status, await response.text(errors="replace"))


# What changed in the database


Snapshot = dict[str, list[str]]


def snapshot(database: Database) -> Snapshot:
    """Every row of every table, as text, in a stable order."""
    rows: Snapshot = {}
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            found = connection.execute(select(table)).all()
            rows[table.name] = sorted(repr(tuple(row)) for row in found)
    return rows


def changed_tables(before: Snapshot, after: Snapshot) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def outbox_texts_since(database: Database, last_id: int) -> list[str]:
    """The messages written to the outbox after row `last_id`, as a person reads them."""
    with database.transaction() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > last_id).order_by(OutboxMessage.id)
        )
        return [render_text(message_of(row)) for row in rows if row.kind == "message"]


def last_outbox_id(database: Database) -> int:
    with database.transaction() as session:
        return max(session.scalars(select(OutboxMessage.id)), default=0)


# Bot Framework tokens


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@contextlib.contextmanager
def published(key: rsa.RSAPrivateKey) -> Iterator[None]:
    """Microsoft's signing keys as botbuilder caches them after a fetch, holding `key`."""
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    metadata = jwt_token_extractor.JwtTokenExtractor.get_open_id_metadata(KEYS_URL)
    saved = (metadata.keys, metadata.last_updated)
    metadata.keys = [jwk | {"kid": KEY_ID, "endorsements": ["msteams"]}]
    metadata.last_updated = dt.datetime.now()
    try:
        yield
    finally:
        metadata.keys, metadata.last_updated = saved


def token_minter(key: rsa.RSAPrivateKey, service_url: str):
    """Mint `Bearer` tokens: valid by default; `claims` overrides claims (null drops
    one), `forged: true` signs with a key nobody published, `kid` names another key,
    `algorithm: none` leaves it unsigned."""

    def mint(options: Mapping[str, Any]) -> str:
        options = dict(options)
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": APP_ID,
            "serviceurl": service_url,
            "nbf": now - 60,
            "exp": now + 3600,
        }
        for name, value in options.pop("claims", {}).items():
            claims[name] = now + value if name in {"nbf", "exp"} else value
        claims = {name: value for name, value in claims.items() if value is not None}
        if options.get("algorithm") == "none":
            return "Bearer " + jwt.encode(claims, None, algorithm="none")
        signer = new_key() if options.get("forged") else key
        kid = options.get("kid", KEY_ID)
        return "Bearer " + jwt.encode(claims, signer, algorithm="RS256", headers={"kid": kid})

    return mint
