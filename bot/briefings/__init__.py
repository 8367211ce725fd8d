"""Champion briefings, wired into a running bot: chat commands on the engine, and the
rounds the scheduler ticks (suggestions, email follow-up)."""

from __future__ import annotations

from bot.bootstrap import Services
from bot.briefings.drafts import BriefingDrafts, build_writer
from bot.briefings.flow import BriefingFlow
from bot.briefings.rounds import BriefingRounds
from bot.engine.engine import ConversationEngine


def install_briefings(services: Services, engine: ConversationEngine) -> BriefingRounds:
    """Register `brief`, `edit`, `approve`, `discard` and their buttons on `engine`."""
    drafts = BriefingDrafts(services, build_writer(services.settings))
    BriefingFlow(drafts).register(engine)
    return BriefingRounds(services)
