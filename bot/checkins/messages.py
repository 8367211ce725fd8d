"""How a check-in question looks, before and after it is answered."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import formatting
from bot.engine.messages import (
    Actions,
    Block,
    Button,
    Choice,
    Message,
    Paragraph,
    Question,
)
from bot.engine.replies import say
from coaching.model import DealFacts
from coaching.playbook import UNKNOWN, FieldSpec

MAX_NAME_CHOICES = 5


@dataclass(frozen=True, slots=True)
class AskContext:
    """Everything needed to phrase one question about one deal."""

    question_id: int
    spec: FieldSpec
    deal: DealFacts
    placeholders: dict[str, str]
    position: int
    total: int
    names: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.spec.question.format(**self.placeholders)

    @property
    def context_line(self) -> str:
        return say(
            "question_context",
            position=self.position,
            total=self.total,
            account=self.deal.account or self.deal.name,
            amount=formatting.money(self.deal.amount, self.deal.currency),
            stage=self.deal.stage,
        )


def choices(ctx: AskContext) -> tuple[Choice, ...]:
    """The tappable answers; 'not sure' is a button of its own on every question."""
    spec = ctx.spec
    if spec.kind == "choice":
        return tuple(
            Choice(value=option.value, label=option.label)
            for option in spec.options
            if option.value != UNKNOWN
        )
    if spec.kind == "scale" and spec.scale:
        scale = spec.scale
        labels = {scale.min: scale.min_label, scale.max: scale.max_label}
        return tuple(
            Choice(
                value=str(point),
                label=f"{point} · {labels[point]}" if labels.get(point) else str(point),
            )
            for point in range(scale.min, scale.max + 1)
        )
    if spec.kind == "person":
        return tuple(Choice(value=name, label=name) for name in ctx.names[:MAX_NAME_CHOICES])
    return ()


def _hint(spec: FieldSpec) -> str:
    """How to answer; for a shareable field, first that the champion may read it."""
    if spec.kind == "scale" and spec.scale:
        hint = say("hint_scale", low=spec.scale.min, high=spec.scale.max)
    else:
        hint = say(f"hint_{spec.kind}")
    if not spec.shareable:
        return hint
    marker = say("shared_person" if spec.kind == "person" else "shared_answer")
    return f"{marker} · {hint}"


def question_message(ctx: AskContext, lead: tuple[str, ...] = ()) -> Message:
    """The question with its choices and Not sure / Skip buttons; `lead` paragraphs first."""
    blocks: list[Block] = [Paragraph(text=text) for text in lead]
    blocks += [
        Paragraph(text=ctx.context_line),
        Question(
            ref=str(ctx.question_id),
            text=ctx.text,
            kind=ctx.spec.kind,
            choices=choices(ctx),
            hint=_hint(ctx.spec),
        ),
        Actions(
            buttons=(
                Button(
                    action="unsure",
                    label=say("not_sure"),
                    value=str(ctx.question_id),
                    command="not sure",
                ),
                Button(
                    action="skip",
                    label=say("skip_button"),
                    value=str(ctx.question_id),
                    command="skip",
                ),
            )
        ),
    ]
    return Message(summary=ctx.text, blocks=tuple(blocks))


def settled_message(ctx: AskContext, outcome: str) -> Message:
    """The question as it reads once settled: the buttons give way to what was recorded."""
    return Message(
        summary=outcome,
        blocks=(
            Paragraph(text=ctx.context_line),
            Paragraph(text=ctx.text),
            Paragraph(text=outcome),
        ),
    )
