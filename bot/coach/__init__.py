"""The coach you can talk to: free text nothing else took becomes a deal or pipeline
review, a meeting prep, a role-play (kept across turns) or a manager's question, from
the pure coach in coaching/coach. `feature(ctx)` is what bot/bootstrap.py registers."""

from __future__ import annotations

from bot.coach.desk import build_coach_desk
from bot.engine.feature import Feature
from bot.infra.services import Context


def feature(ctx: Context) -> Feature:
    return build_coach_desk(ctx).feature()
