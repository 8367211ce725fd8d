"""/api/messages with an app id: botbuilder's real token validation, kept offline.

Validation fetches Microsoft's signing keys (login.botframework.com) and caches them.
Tests cannot reach Microsoft, so they put a key of their own in that cache, the way a
fetch would have, and sign tokens with it; everything else (issuer, audience, service
URL, endorsements, expiry, signature checks) is botbuilder's own code. Outbound calls
with the bot's credentials need a token from Microsoft Entra ID: not exercised here.
"""

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import Iterator

import jwt
import pytest
import requests
from botframework.connector.auth import AuthenticationConstants, jwt_token_extractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from support import make_services, outbox_rows, person_id
from teams_support import ALEX, TENANT, TeamsServer, message

from bot.bootstrap import App, build_app
from bot.teams import trust
from bot.teams.trust import TeamsTrust
from coaching.clock import FixedClock
from storage import identities
from storage.db import Database
from storage.demo import load_demo
from testkit.botframework_connector import FakeConnector

APP_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
KEYS_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
KEY_ID = "dealcoach-test-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def published_key() -> rsa.RSAPrivateKey:
    return new_key()


@pytest.fixture
def published_keys(published_key: rsa.RSAPrivateKey) -> Iterator[object]:
    """Microsoft's key set as botbuilder caches it after a fetch, holding our key."""
    jwk = json.loads(RSAAlgorithm.to_jwk(published_key.public_key()))
    metadata = jwt_token_extractor.JwtTokenExtractor.get_open_id_metadata(KEYS_URL)
    saved = (metadata.keys, metadata.last_updated)
    metadata.keys = [jwk | {"kid": KEY_ID, "endorsements": ["msteams"]}]
    metadata.last_updated = dt.datetime.now()
    yield metadata
    metadata.keys, metadata.last_updated = saved


@pytest.fixture
def authenticated(database: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> App:
    """The demo pipeline, Teams with an app id for TENANT, and Alex already linked. The
    fake connector is on 127.0.0.1: trusted here as a Bot Framework host would be."""
    monkeypatch.setattr(
        trust,
        "for_settings",
        lambda settings: TeamsTrust(settings.teams_allowlist, local=False, loopback=True),
    )
    with database.transaction() as session:
        load_demo(session, clock.now())
    alex = person_id(database, "alex@example.com")
    with database.transaction() as session:
        identities.link(
            session,
            person_id=alex,
            platform="teams",
            tenant=TENANT,
            external_id=ALEX.aad_object_id,
            now=clock.now(),
        )
    services = make_services(
        database,
        clock,
        microsoft_app_id=APP_ID,
        microsoft_app_password="not-used-offline",
        teams_tenants=TENANT,
    )
    return build_app(services)


def token(key: rsa.RSAPrivateKey, service_url: str, *, kid: str = KEY_ID, **claims: object) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60}
    payload |= {"exp": now + 3600} | claims
    payload = {name: value for name, value in payload.items() if value is not None}
    encoded = jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})
    return f"Bearer {encoded}"


async def post(app: App, payload: dict, authorization: str | None) -> tuple[int, object]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with TeamsServer(app) as server:
        return await server.post(payload, headers=headers)


def refusals(key: rsa.RSAPrivateKey, url: str) -> dict[str, str | None]:
    forger = new_key()
    now = int(time.time())
    return {
        "missing": None,
        "empty": "",
        "not a bearer token": "Basic YWxleDpwYXNzd29yZA==",
        "malformed": "Bearer not.a.jwt",
        "garbage": "Bearer ey!!!",
        "forged signature": token(forger, url),
        "unknown key": token(forger, url, kid="someone-elses-key"),
        "other issuer": token(key, url, iss="https://login.evil.example"),
        "no issuer": token(key, url, iss=None),
        "another bot": token(key, url, aud="00000000-0000-4000-8000-000000000000"),
        "another service url": token(key, "https://smba.evil.example/"),
        "expired": token(key, url, nbf=now - 7200, exp=now - 3600),
        "unsigned": "Bearer "
        + jwt.encode({"iss": ISSUER, "aud": APP_ID, "serviceurl": url}, None, algorithm="none"),
    }


REFUSALS = [
    "missing",
    "empty",
    "not a bearer token",
    "malformed",
    "garbage",
    "forged signature",
    "unknown key",
    "other issuer",
    "no issuer",
    "another bot",
    "another service url",
    "expired",
    "unsigned",
]


@pytest.mark.parametrize("case", REFUSALS)
def test_requests_without_a_valid_token_are_refused_with_401(
    authenticated: App,
    connector: FakeConnector,
    published_key: rsa.RSAPrivateKey,
    published_keys: object,
    case: str,
) -> None:
    payload = message(connector, "deals")
    authorization = refusals(published_key, connector.service_url)[case]
    status, body = asyncio.run(post(authenticated, payload, authorization))
    assert (status, body) == (401, {"error": "unauthorized"})
    assert outbox_rows(authenticated.services.database) == []  # the turn never ran


def test_a_token_endorsed_for_another_channel_is_refused(
    authenticated: App,
    connector: FakeConnector,
    published_key: rsa.RSAPrivateKey,
    published_keys: object,
) -> None:
    payload = message(connector, "deals", channelId="skype")
    authorization = token(published_key, connector.service_url)
    assert asyncio.run(post(authenticated, payload, authorization))[0] == 401


def test_a_valid_token_runs_the_turn(
    authenticated: App,
    connector: FakeConnector,
    published_key: rsa.RSAPrivateKey,
    published_keys: object,
) -> None:
    payload = message(connector, "deals")
    authorization = token(published_key, connector.service_url)
    assert asyncio.run(post(authenticated, payload, authorization)) == (202, None)
    [reply] = outbox_rows(authenticated.services.database)
    assert (reply.transport, reply.payload["message"]["summary"]) == (
        "teams",
        "Your open deals (3)",
    )


def test_keys_that_cannot_be_fetched_make_a_503_so_the_channel_retries(
    authenticated: App,
    connector: FakeConnector,
    published_key: rsa.RSAPrivateKey,
    published_keys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def offline(*_args: object, **_kwargs: object) -> None:
        raise requests.ConnectionError("login.botframework.com is unreachable")

    monkeypatch.setattr(jwt_token_extractor.requests, "get", offline)
    published_keys.last_updated = dt.datetime.min  # stale: botbuilder refetches
    authorization = token(published_key, connector.service_url)
    status, body = asyncio.run(post(authenticated, message(connector, "deals"), authorization))
    assert (status, body) == (503, {"error": "token validation is unavailable; retry later"})


def test_only_the_unauthenticated_local_mode_warns_at_start(
    database: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    local = build_app(make_services(database, clock, teams_local=True))
    authenticated = build_app(
        make_services(
            database,
            clock,
            microsoft_app_id=APP_ID,
            microsoft_app_password="x",
            teams_tenants=TENANT,
        )
    )

    async def start(app: App) -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="bot.teams"):
            async with TeamsServer(app):
                pass
        return [record.getMessage() for record in caplog.records]

    [warning] = asyncio.run(start(local))
    assert "TEAMS LOCAL MODE" in warning and "WITHOUT AUTHENTICATION" in warning
    [with_app_id] = asyncio.run(start(authenticated))
    assert f"accepts activities for app {APP_ID}" in with_app_id
    assert "WITHOUT AUTHENTICATION" not in with_app_id


@pytest.mark.parametrize(
    ("headers", "raw", "status"),
    [
        ({"Content-Type": "text/plain"}, b"{}", 415),
        ({}, b"{not json", 400),
        ({}, b"[1, 2]", 400),
        ({}, b'{"type": "message"}', 400),
    ],
)
def test_bodies_that_are_not_activities_are_refused(
    teams_app: App, headers: dict, raw: bytes, status: int
) -> None:
    async def send() -> int:
        async with TeamsServer(teams_app) as server:
            return (await server.post(None, headers=headers, raw=raw))[0]

    assert asyncio.run(send()) == status
