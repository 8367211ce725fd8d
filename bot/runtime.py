"""The running bot's parts, built once from the services (the composition root's second half)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.app import Services
from bot.conversation.checkin_dialog import CheckinDialog
from bot.conversation.engine import ConversationEngine
from bot.manager_desk import ManagerDesk, build_manager_desk
from bot.recipients import default_transport, enabled_platforms
from bot.rounds import CheckinRounds
from bot.scheduler import Tick
from bot.settings import Settings
from coaching.extraction import AnswerExtractor


@dataclass
class Runtime:
    services: Services
    dialog: CheckinDialog
    engine: ConversationEngine
    rounds: CheckinRounds
    managers: ManagerDesk

    def checkin_tick(self, now: dt.datetime) -> None:
        """Expire what is overdue, remind what waits, start what is due."""
        self.rounds.expire(now)
        self.rounds.send_reminders(now)
        self.rounds.run_round(now)

    def ticks(self) -> list[Tick]:
        every = dt.timedelta(seconds=self.services.settings.tick_seconds)
        return [Tick("checkins", every, self.checkin_tick), *self.managers.ticks(every)]


def build_extractor(settings: Settings) -> AnswerExtractor | None:
    """The model that reads free-text answers the parser cannot, when one is configured."""
    if not settings.model_enabled:
        return None
    from coaching.llm import ModelAnswerExtractor, build_chat_model

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
    managers = build_manager_desk(services)
    managers.install(engine)
    return Runtime(services, dialog, engine, rounds, managers)
