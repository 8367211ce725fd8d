"""Pictures in messages are drawn when they are delivered, not when they are written.

A digest's chart travels through the outbox as its data (a few hundred bytes), so the
digest tick and the turn that wrote it hold no transaction while matplotlib draws.
`draw_pictures` turns each chart into a compact PNG (16 colours, about 10 KB: small
enough for a Teams card's data URI); senders call it in a worker thread.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from bot.engine.messages import Block, Image, Message
from coaching.coach.chart import PipelineChart, StageBar, render_png

COLOURS = 16


def has_pictures(message: Message) -> bool:
    return any(isinstance(block, Image) for block in message.blocks)


def draw_pictures(message: Message) -> Message:
    """The message with every picture's PNG drawn (those already drawn are kept)."""
    if not any(isinstance(block, Image) and not block.png for block in message.blocks):
        return message
    blocks: list[Block] = [
        _drawn(block) if isinstance(block, Image) else block for block in message.blocks
    ]
    return message.model_copy(update={"blocks": tuple(blocks)})


def _drawn(image: Image) -> Image:
    if image.png or image.chart is None:
        return image
    png = compact(render_png(chart_of(image.chart)))
    return image.model_copy(update={"png": base64.b64encode(png).decode("ascii")})


def chart_of(data: dict[str, Any]) -> PipelineChart:
    """A pipeline chart back from the JSON its dataclasses were written as."""
    bars = tuple(
        StageBar(
            stage=bar["stage"],
            by_severity=tuple(bar["by_severity"]),
            before=bar["before"],
            amount=bar["amount"],
        )
        for bar in data["bars"]
    )
    return PipelineChart(
        title=data["title"],
        bars=bars,
        compared=data["compared"],
        legend=tuple(data["legend"]),
        deals_label=data["deals_label"],
        axis_label=data["axis_label"],
    )


def compact(png: bytes) -> bytes:
    """The same picture with a small palette: a chart has few colours."""
    from PIL import Image as Picture

    picture = Picture.open(io.BytesIO(png)).convert("RGB").quantize(colors=COLOURS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
