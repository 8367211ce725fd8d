"""The running bot's parts, built once from the services (the composition root's second half)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.bootstrap import Services
from bot.briefings import install_briefings
from bot.briefings.rounds import BriefingRounds
from bot.checkins.dialog import CheckinDialog
from bot.checkins.qualification_edits import EDIT_ACTION, edit_action
from bot.checkins.rounds import CheckinRounds
from bot.checkins.schedule_commands import ScheduleCommands
from bot.engine.engine import ConversationEngine
from bot.engine.messages import Incoming
from bot.infra.recipients import default_transport, enabled_platforms
from bot.infra.scheduler import Tick
from bot.infra.spool import InboxSpool, database_unreachable, describe
from bot.managers.desk import ManagerDesk, build_manager_desk
from bot.settings import Settings
from coaching.extraction import AnswerExtractor

log = logging.getLogger(__name__)
SPOOL_REPLAY_EVERY = dt.timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class Handled:
    """The outbox keys of the replies, or `kept` when the message waits in the spool."""

    keys: list[str]
    kept: bool = False


@dataclass
class Runtime:
    services: Services
    dialog: CheckinDialog
    engine: ConversationEngine
    rounds: CheckinRounds
    spool: InboxSpool
    briefings: BriefingRounds
    managers: ManagerDesk

    def handle(self, incoming: Incoming) -> Handled:
        """Hand a message to the engine; while the database is unreachable, keep it."""
        try:
            if len(self.spool):
                self.spool.replay(self.engine.handle)
            return Handled(self.engine.handle(incoming))
        except Exception as error:
            if not database_unreachable(error):
                raise
            log.warning("database unreachable (%s): message kept for later", describe(error))
            self.spool.keep(incoming)
            return Handled([], kept=True)

    def replay_kept(self, _now: dt.datetime) -> None:
        if len(self.spool) and self.services.database.ping():
            self.spool.replay(self.engine.handle)

    def checkin_tick(self, now: dt.datetime) -> None:
        """Expire what is overdue, remind what waits, start what is due."""
        self.rounds.expire(now)
        self.rounds.send_reminders(now)
        self.rounds.run_round(now)

    def ticks(self) -> list[Tick]:
        every = dt.timedelta(seconds=self.services.settings.tick_seconds)
        return [
            Tick("checkins", every, self.checkin_tick),
            Tick("replay-kept-messages", min(every, SPOOL_REPLAY_EVERY), self.replay_kept),
            Tick("briefings", every, self.briefings.tick),
            *self.managers.ticks(every),
        ]


def build_extractor(settings: Settings) -> AnswerExtractor | None:
    """The model that reads free-text answers the parser cannot, when one is configured."""
    if not settings.model_enabled:
        return None
    from prompts.llm import ModelAnswerExtractor, build_chat_model

    model = build_chat_model(settings.openai_api_key, settings.openai_base_url, settings.model)
    return ModelAnswerExtractor(model)


def build_runtime(services: Services) -> Runtime:
    settings = services.settings
    rules = settings.checkin_rules
    dialog = CheckinDialog(services.playbook, rules, extractor=build_extractor(settings))
    rounds = CheckinRounds(
        services.database,
        playbook=services.playbook,
        rules=rules,
        dialog=dialog,
        default_transport=default_transport(settings),
        platforms=enabled_platforms(settings),
    )
    engine = ConversationEngine(services, dialog)
    schedule = ScheduleCommands(rules)
    engine.commands |= {"schedule": schedule.schedule, "team": schedule.team}
    engine.actions[EDIT_ACTION] = edit_action(services.playbook)
    managers = build_manager_desk(services)
    managers.install(engine)
    return Runtime(
        services,
        dialog,
        engine,
        rounds,
        spool=InboxSpool(settings.data_dir / "inbox-spool.jsonl"),
        briefings=install_briefings(services, engine),
        managers=managers,
    )
