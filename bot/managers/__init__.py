"""Managers: the risk scan and its warnings, weekly digests, manager commands and the
team's check-in rhythm. `feature(ctx)` is what bot/bootstrap.py registers."""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.infra.services import Context
from bot.managers.desk import build_manager_desk


def feature(ctx: Context) -> Feature:
    return build_manager_desk(ctx).feature()
