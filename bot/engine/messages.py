"""Channel-neutral messages: what the engine says, before any transport renders it.

A message is a list of blocks. The console renders them as text, Slack as Block Kit,
Teams as Adaptive Cards. They serialise to JSON for the outbox.
Text uses a small markup every transport can render: *bold*, _italic_, `code`.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Heading(_Block):
    type: Literal["heading"] = "heading"
    text: str


class Paragraph(_Block):
    type: Literal["paragraph"] = "paragraph"
    text: str


class Facts(_Block):
    """Label/value rows, e.g. a qualification card."""

    type: Literal["facts"] = "facts"
    rows: tuple[tuple[str, str], ...]


class Choice(_Block):
    value: str
    label: str


class Question(_Block):
    """A question waiting for an answer: `ref` routes the answer back to it."""

    type: Literal["question"] = "question"
    ref: str
    text: str
    kind: Literal["choice", "scale", "date", "person", "text"]
    choices: tuple[Choice, ...] = ()
    hint: str | None = None


class Button(_Block):
    """A button; `command` is what to type instead where there are no buttons."""

    action: str
    label: str
    value: str = ""
    command: str
    style: Literal["default", "primary", "danger"] = "default"


class Actions(_Block):
    type: Literal["actions"] = "actions"
    buttons: tuple[Button, ...]


class Image(_Block):
    """A picture with the words that stand in for it: base64 PNG, or a chart's data that
    bot/engine/pictures.py draws at delivery. The console saves it as a file, Slack
    uploads it, Teams shows it in the card."""

    type: Literal["image"] = "image"
    alt: str
    name: str  # a file name, e.g. "pipeline-2026-11-30.png"
    png: str = ""  # base64; empty until a chart is drawn
    chart: dict[str, Any] | None = None

    @classmethod
    def of(cls, png: bytes, *, alt: str, name: str) -> Image:
        return cls(alt=alt, name=name, png=base64.b64encode(png).decode("ascii"))

    @property
    def data(self) -> bytes:
        return base64.b64decode(self.png)


Block = Annotated[
    Heading | Paragraph | Facts | Question | Actions | Image, Field(discriminator="type")
]


class Message(BaseModel):
    """One message to one person or channel. `summary` is the notification text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str
    blocks: tuple[Block, ...] = ()

    @classmethod
    def text(cls, body: str) -> Message:
        return cls(summary=body, blocks=(Paragraph(text=body),))

    @property
    def question(self) -> Question | None:
        return next((block for block in self.blocks if isinstance(block, Question)), None)


class Incoming(BaseModel):
    """What a person sent: free text, or a click on a choice or button."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person_id: int
    text: str | None = None
    action: str | None = None
    value: str | None = None
    transport: str = "console"
    event_id: str | None = None
    channel: str | None = None  # where it was said, when not a direct message
