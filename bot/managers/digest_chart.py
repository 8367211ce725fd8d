"""The weekly digest's chart, a picture a manager reads at a glance: open deals per
stage coloured by their worst warning, last week's count beside each stage.

The data and the drawing are coaching/coach/chart.py's (matplotlib's Agg canvas);
here the PNG is made compact (a 16-colour palette, about 10 KB) so it fits a Teams
card as a data URI and stays small in the outbox.
"""

from __future__ import annotations

import io
from typing import Any

from bot.engine.messages import Image
from coaching.coach import pipeline_chart, render_png
from coaching.coach.kit import default_kit
from coaching.risk import Wording

COLOURS = 16


def chart_image(figures: dict[str, Any], wording: Wording) -> Image | None:
    """The digest's chart, or None when the team has no open deal to draw."""
    if not figures.get("pipeline_by_stage"):
        return None
    last_week = figures.get("pipeline_last_week")
    previous = None if last_week is None else {"pipeline_by_stage": last_week}
    chart = pipeline_chart(figures, previous, default_kit(wording))
    png = compact(render_png(chart))
    return Image.of(png, alt=chart.title, name=f"pipeline-{figures['period_start']}.png")


def compact(png: bytes) -> bytes:
    """The same picture with a small palette: a chart has few colours."""
    from PIL import Image as Picture

    picture = Picture.open(io.BytesIO(png)).convert("RGB").quantize(colors=COLOURS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
