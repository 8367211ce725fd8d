"""The weekly digest's chart, a picture a manager reads at a glance: open deals per
stage coloured by their worst warning, last week's count beside each stage.

The data is coaching/coach/chart.py's; it travels as data and is drawn when the digest
is delivered (bot/engine/pictures.py).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.engine.messages import Image
from coaching.coach import pipeline_chart
from coaching.coach.kit import default_kit
from coaching.risk import Wording


def chart_image(figures: dict[str, Any], wording: Wording) -> Image | None:
    """The digest's chart, or None when the team has no open deal to draw."""
    if not figures.get("pipeline_by_stage"):
        return None
    last_week = figures.get("pipeline_last_week")
    previous = None if last_week is None else {"pipeline_by_stage": last_week}
    chart = pipeline_chart(figures, previous, default_kit(wording))
    return Image(
        alt=chart.title,
        name=f"pipeline-{figures['period_start']}.png",
        chart=dataclasses.asdict(chart),
    )
