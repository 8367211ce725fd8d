"""Champion briefings: `brief DEAL`, the edit dialog, approval and hand-over, and the
rounds the scheduler ticks (suggestions, email follow-up). `feature(ctx)` is what
bot/bootstrap.py registers."""

from __future__ import annotations

from dataclasses import replace

from bot.briefings.drafts import BriefingDrafts
from bot.briefings.flow import BriefingFlow
from bot.briefings.rounds import BriefingRounds
from bot.engine.feature import Feature, Tick
from bot.infra.services import Context


def feature(ctx: Context) -> Feature:
    services = ctx.services
    writer = None
    model = ctx.chat_model()
    if model is not None:
        from prompts.llm import ModelBriefingWriter

        writer = ModelBriefingWriter(model)
    drafts = BriefingDrafts(services, writer)
    rounds = BriefingRounds(services, ctx.recipients)
    flow = BriefingFlow(drafts)
    return replace(
        flow.feature(),
        ticks=(Tick("briefings", services.settings.tick_every, rounds.tick),),
        parts=(drafts, flow, rounds),
    )
