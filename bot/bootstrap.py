"""The composition root: settings -> services, features, engine, ticks, senders.

The server, the console, every CLI command and the tests build the application here
and nowhere else. Nothing connects when it is built: the database connects on first
use, chat SDKs and the model load only when configured and asked for.

A feature is registered by one line in FEATURES: a factory `(Context) -> Feature`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO, TypeVar

from bot import briefings, checkins, coach, managers
from bot.engine.engine import ConversationEngine, FeatureConflict
from bot.engine.feature import Feature, Tick
from bot.engine.outgoing import person_address
from bot.infra.delivery import Delivery, DeliveryPolicy, Sender
from bot.infra.housekeeping import Housekeeping
from bot.infra.inbox import SpooledInbox
from bot.infra.scheduler import Clockwork
from bot.infra.services import Context, Services
from bot.infra.spool import InboxSpool
from bot.settings import Settings
from coaching.clock import Clock, SystemClock
from coaching.playbook import load_playbook
from storage.db import Database

if TYPE_CHECKING:
    from bot.console.transport import Console
    from bot.infra.server import ChatTransport, Server
    from bot.slack.pacing import ChannelPacer
    from storage.models import Person

T = TypeVar("T")
FeatureFactory = Callable[[Context], Feature]

FEATURES: tuple[FeatureFactory, ...] = (
    checkins.feature,
    briefings.feature,
    managers.feature,
    coach.feature,
)


class SchemaOutOfDate(Exception):
    """The database schema is older than this code; the message says how to fix it."""


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    return Services(
        settings=settings,
        database=Database(settings.resolved_database_url),
        playbook=load_playbook(settings.playbook_path),
        clock=clock or SystemClock(),
    )


def prepare_database(services: Services) -> None:
    """Migrate an embedded SQLite database; refuse to run on an outdated PostgreSQL one."""
    from storage.migrate import current_revision, head_revision, upgrade

    database = services.database
    if services.settings.is_embedded_database:
        upgrade(database, token_key=services.settings.token_key)
        return
    current = current_revision(database)
    if current != head_revision():
        raise SchemaOutOfDate(
            f"the database schema is at {current or 'nothing'}, this version needs "
            f"{head_revision()}: run `dealcoach db upgrade`"
        )


def build_app(services: Services, *, features: Sequence[FeatureFactory] = FEATURES) -> App:
    """The application: every feature on one engine, behind the inbox, with its ticks."""
    context = Context.of(services)
    built = tuple(factory(context) for factory in features)
    engine = ConversationEngine(services.database, services.clock, built)
    settings = services.settings
    inbox = SpooledInbox(
        engine, InboxSpool(settings.data_dir / "inbox-spool.jsonl"), services.database
    )
    every = settings.tick_every
    housekeeping = Housekeeping(services.database, settings.retention)
    ticks = (
        *(tick for feature in built for tick in feature.ticks),
        inbox.tick(every),
        housekeeping.tick(),
    )
    ids = [tick.id for tick in ticks]
    twice = sorted({tick_id for tick_id in ids if ids.count(tick_id) > 1})
    if twice:
        raise FeatureConflict(f"tick ids declared twice: {', '.join(twice)}")
    return App(services, context, built, engine, inbox, ticks)


@dataclass
class App:
    """A built dealcoach: what transports, the scheduler and tests work with."""

    services: Services
    context: Context
    features: tuple[Feature, ...]
    engine: ConversationEngine
    inbox: SpooledInbox
    ticks: tuple[Tick, ...]

    def part(self, kind: type[T]) -> T:
        """The use case of type `kind` one of the features is built on."""
        for feature in self.features:
            found = feature.part(kind)
            if found is not None:
                return found
        raise LookupError(f"no feature has a {kind.__name__}")

    def tick(self, tick_id: str) -> Tick:
        return next(tick for tick in self.ticks if tick.id == tick_id)

    def delivery(
        self,
        senders: Sequence[Sender],
        *,
        recipients: list[str] | None = None,
        policy: DeliveryPolicy | None = None,
    ) -> Delivery:
        """Outbox delivery through `senders` (for `recipients` only, when given); the
        inbox's `kick` wakes it."""
        services = self.services
        delivery = Delivery(
            services.database, senders, services.clock, policy=policy, recipients=recipients
        )
        self.inbox.wakes.append(delivery.kick)
        return delivery

    def email_senders(self) -> list[Sender]:
        """The email sender when SMTP is configured, else none."""
        from bot.email.sender import email_senders

        return email_senders(self.services.settings)

    def clockwork(self, *, schedule: bool = True) -> Clockwork:
        """The scheduler running every tick (none with `schedule=False`); each tick wakes
        delivery when it is done."""
        return Clockwork(list(self.ticks) if schedule else [], self.services.clock, self.inbox.kick)

    def chat_transports(
        self, *, teams: bool = False, slack_pacer: ChannelPacer | None = None
    ) -> list[ChatTransport]:
        """The configured chat transports (Teams also when asked for without an app id).
        Each platform's SDK is imported only here, and only when it is configured."""
        settings = self.services.settings
        transports: list[ChatTransport] = []
        if settings.slack_enabled:
            from bot.slack.transport import SlackTransport

            transports.append(SlackTransport(self.services, self.inbox, pacer=slack_pacer))
        if settings.teams_enabled or teams:
            from bot.teams.transport import TeamsTransport

            transports.append(TeamsTransport(self.services, self.inbox))
        return transports

    def server(
        self,
        *,
        teams: bool = False,
        slack_pacer: ChannelPacer | None = None,
        policy: DeliveryPolicy | None = None,
    ) -> Server:
        """The HTTP server mode: the chat transports on one web app, one delivery for
        their senders and email, and the scheduler."""
        from bot.infra.connections import ConnectionLimits
        from bot.infra.server import Server, build_web_app

        transports = self.chat_transports(teams=teams, slack_pacer=slack_pacer)
        senders = [transport.sender for transport in transports] + self.email_senders()
        return Server(
            transports=transports,
            delivery=self.delivery(senders, policy=policy),
            clockwork=self.clockwork(),
            web_app=build_web_app(self.services.database.ping, transports, self.metrics),
            limits=ConnectionLimits(
                self.services.settings.max_connections, self.services.settings.header_timeout
            ),
        )

    def metrics(self) -> bytes:
        """The Prometheus exposition of this process (bot/infra/metrics.py)."""
        from bot.infra import metrics

        return metrics.scrape(self.services.database, self.services.clock.now())

    def console(
        self,
        person: Person,
        reader: TextIO,
        writer: TextIO,
        *,
        prompt: bool = False,
        schedule: bool = True,
    ) -> Console:
        """A terminal chat as `person`: their messages printed, email sent, the scheduler
        running behind it (unless `schedule=False`)."""
        from bot.console.transport import Console, ConsoleSender

        sender = ConsoleSender(writer, self.services.settings.data_dir / "pictures")
        own = self.delivery([sender], recipients=[person_address(person.id)])
        email = self.email_senders()
        return Console(
            self.inbox,
            person,
            reader,
            sender,
            delivery=own,
            deliveries=[own, *([self.delivery(email)] if email else [])],
            clockwork=self.clockwork(schedule=schedule),
            prompt=prompt,
        )
