"""Findings 2, 3, 7 and 18 (issue 15): who may reach the bot through Teams.

2. in MultiTenant mode a user of any tenant whose member lookup showed a manager's
   email was linked to that manager;
3. the unauthenticated local mode started on 0.0.0.0, and the bot posted to any
   `serviceUrl` an activity named;
7. the dedupe key was the activity id alone, unique only within one conversation;
18. a Bot Framework token without `exp` was accepted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from support import make_services, outbox_rows, person_id
from teams_support import ALEX, DANA, ROSTER, TENANT, TeamsServer, as_user, message
from test_teams_auth import APP_ID, published_key, published_keys, token  # noqa: F401

from bot.bootstrap import App, build_app
from bot.infra.server import TransportStartError
from bot.teams import trust
from bot.teams.trust import TeamsTrust
from coaching.clock import FixedClock
from storage import identities
from storage.db import Database
from storage.demo import load_demo
from storage.models import ChatIdentity, TeamsConversation
from testkit.botframework_connector import FakeConnector, Member

OTHER_TENANT = "9e9e9e9e-0000-4000-8000-0000000000ff"
IMPOSTOR = Member(
    "29:1iMpostoR-pairwise-id", "Not Dana", "0a1b2c3d-0000-4000-8000-0000000bad00", DANA.email
)


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    with FakeConnector(roster=[*ROSTER, IMPOSTOR]) as fake:
        yield fake


def teams_app(database: Database, clock: FixedClock, **settings: object) -> App:
    with database.transaction() as session:
        load_demo(session, clock.now())
    return build_app(make_services(database, clock, teams_local=True, **settings))


async def post(app: App, *payloads: dict, headers: dict | None = None) -> list[int]:
    async with TeamsServer(app) as server:
        return [(await server.post(payload, headers=headers or {}))[0] for payload in payloads]


def teams_links(database: Database) -> list[tuple[int, str]]:
    with database.transaction() as session:
        rows = session.execute(
            select(ChatIdentity.person_id, ChatIdentity.tenant).where(
                ChatIdentity.platform == "teams"
            )
        )
        return [tuple(row) for row in rows]


def from_tenant(payload: dict, tenant: str) -> dict:
    payload["conversation"]["tenantId"] = tenant
    payload["channelData"]["tenant"]["id"] = tenant
    return payload


def test_f02_a_member_of_another_tenant_is_not_linked_to_a_manager(
    database: Database, clock: FixedClock, connector: FakeConnector
) -> None:
    app = teams_app(database, clock, teams_tenants=TENANT)
    attack = from_tenant(as_user(message(connector, "warnings"), IMPOSTOR, "a:evil"), OTHER_TENANT)

    assert asyncio.run(post(app, attack)) == [403]
    assert teams_links(database) == []
    assert outbox_rows(database) == []
    assert connector.sent() == []


def test_f02_with_an_app_id_and_no_tenant_listed_no_tenant_is_admitted() -> None:
    authenticated = TeamsTrust(frozenset(), local=False, loopback=False)
    assert not authenticated.allows_tenant(TENANT)
    assert TeamsTrust(frozenset({TENANT}), local=False, loopback=False).allows_tenant(TENANT)


def test_f03_local_mode_refuses_to_start_unless_bound_to_loopback(
    database: Database, clock: FixedClock
) -> None:
    app = teams_app(database, clock, host="0.0.0.0")

    async def start() -> None:
        async with TeamsServer(app):
            pass

    with pytest.raises(TransportStartError, match=r"DEALCOACH_HOST=127\.0\.0\.1"):
        asyncio.run(start())


def test_f03_an_activity_naming_another_service_url_is_refused(
    database: Database, clock: FixedClock, connector: FakeConnector
) -> None:
    app = teams_app(database, clock)
    attack = message(connector, "warnings", serviceUrl="https://attacker.example/api/")

    assert asyncio.run(post(app, attack)) == [403]
    with database.transaction() as session:
        assert session.scalars(select(TeamsConversation)).all() == []
    assert outbox_rows(database) == []


def test_f03_service_urls_are_bot_framework_hosts_and_loopback_only_locally() -> None:
    local = TeamsTrust(frozenset(), local=True, loopback=True)
    authenticated = TeamsTrust(frozenset({TENANT}), local=False, loopback=False)
    for url in ("https://smba.trafficmanager.net/amer/", "https://webchat.botframework.com/"):
        assert local.allows_service_url(url) and authenticated.allows_service_url(url)
    assert local.allows_service_url("http://127.0.0.1:3978/")
    assert not authenticated.allows_service_url("http://127.0.0.1:3978/")
    for url in (
        "http://smba.trafficmanager.net/amer/",  # not https
        "https://smba.trafficmanager.net.evil.example/",
        "https://evilsmba.trafficmanager.net/",
        "https://user@smba.trafficmanager.net/",
        "https://attacker.example/",
    ):
        assert not local.allows_service_url(url), url


def test_f07_the_same_message_id_in_two_chats_is_two_messages(
    database: Database, clock: FixedClock, connector: FakeConnector
) -> None:
    app = teams_app(database, clock)
    alex_says = as_user(message(connector, "deals"), ALEX, "a:1alex-personal-chat")
    dana_says = as_user(alex_says, DANA, "a:1dana-personal-chat")
    assert alex_says["id"] == dana_says["id"]

    assert asyncio.run(post(app, alex_says, dana_says)) == [202, 202]
    alex, dana = (person_id(database, who) for who in ("alex@example.com", "dana@example.com"))
    answered = {row.recipient for row in outbox_rows(database) if row.key.startswith("in:")}
    assert {f"person:{alex}", f"person:{dana}"} <= answered
    # and a retry of one of them is still one message
    assert asyncio.run(post(app, dana_says)) == [202]
    again = [row for row in outbox_rows(database) if row.recipient == f"person:{dana}"]
    assert len({row.key for row in again}) == len(again)


def test_f18_a_token_without_exp_is_refused(
    database: Database,
    clock: FixedClock,
    connector: FakeConnector,
    published_key,  # noqa: F811
    published_keys,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    with database.transaction() as session:
        identities.link(
            session,
            person_id=person_id(database, "alex@example.com"),
            platform="teams",
            tenant=TENANT,
            external_id=ALEX.aad_object_id,
            now=clock.now(),
        )
    # the fake connector is on 127.0.0.1: trusted here as a Bot Framework host would be
    monkeypatch.setattr(
        trust,
        "for_settings",
        lambda settings: TeamsTrust(settings.teams_allowlist, local=False, loopback=True),
    )
    app = build_app(
        make_services(
            database,
            clock,
            microsoft_app_id=APP_ID,
            microsoft_app_password="not-used-offline",
            teams_tenants=TENANT,
        )
    )
    url = connector.service_url
    without_exp = {"Authorization": token(published_key, url, exp=None)}
    with_exp = {"Authorization": token(published_key, url)}

    assert asyncio.run(post(app, message(connector, "deals"), headers=without_exp)) == [401]
    assert outbox_rows(database) == []
    assert asyncio.run(post(app, message(connector, "deals"), headers=with_exp)) == [202]
