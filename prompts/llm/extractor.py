"""A model reads a rep's free-text reply into proposed facts (coaching/understanding's
shape): the answer to the asked field, and facts for other fields in passing.

Each field gets its own reply schema (a choice's option values, a scale's range, an
ISO date...), so the model is steered to valid values and anything else is rejected:
an invalid reply is no facts, never an invented value. What comes back is checked
again by `coaching.understanding.checked` before anything is proposed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from coaching.playbook import UNKNOWN, FieldSpec, Playbook, Scale
from coaching.understanding import ExtractionRequest, ProposedFact
from coaching.understanding.model_facts import confidence_of
from prompts import PromptTemplate, load_prompt
from prompts.llm.chat import ModelOutputInvalid, invoke_structured

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
MAX_ANSWER_CHARS = 4000
MAX_EXTRAS = 5
_CONFIDENCE = Annotated[float, Field(ge=0.0, le=1.0, description="0 to 1")]
_UNSURE = Annotated[bool, Field(description="the rep says they do not know")]
_WORDS = Annotated[str, Field(description="the words of the answer it comes from")]


class _Reply(BaseModel):
    """Strict: "4" is not 4 and 20270115 is not a date; a near miss is no answer."""

    model_config = ConfigDict(extra="forbid", strict=True)


def answer_schema(spec: FieldSpec, playbook: Playbook) -> type[BaseModel]:
    """The reply schema for one field: value (typed by kind, or null), confidence,
    unsure, words, and extras (facts for the playbook's other fields)."""
    value: Any
    if spec.kind == "choice":
        values = tuple(option.value for option in spec.options if option.value != UNKNOWN)
        value = Literal[values]
    elif spec.kind == "scale":
        scale = spec.scale or Scale()
        value = Annotated[int, Field(ge=scale.min, le=scale.max)]
    elif spec.kind == "date":
        value = dt.date
    else:
        value = str
    others: Any = Literal[tuple(other.key for other in playbook.fields if other.key != spec.key)]
    extra = create_model(
        "Extra",
        __base__=_Reply,
        field=(others, ...),
        value=(str, ...),
        confidence=(_CONFIDENCE, ...),
        words=(_WORDS, ...),
    )
    return create_model(
        f"{spec.kind.capitalize()}Answer",
        __base__=_Reply,
        value=(value | None, Field(description=f"the {spec.label} answer, or null")),
        confidence=(_CONFIDENCE, ...),
        unsure=(_UNSURE, ...),
        words=(_WORDS, ...),
        extras=(list[extra], Field(max_length=MAX_EXTRAS)),
    )


class ModelAnswerExtractor:
    """A FactExtractor backed by a LangChain chat model.

    Model failures raise ModelCallError (the caller re-asks); a reply that does not
    validate is no facts.
    """

    def __init__(self, chat_model: BaseChatModel, prompt: PromptTemplate | None = None) -> None:
        self._model = chat_model
        self._prompt = prompt or load_prompt("extract_answer")

    @property
    def prompt_id(self) -> str:
        return self._prompt.prompt_id

    def extract(self, request: ExtractionRequest) -> tuple[ProposedFact, ...]:
        """Read `request.text`, the rep's reply to `request.question`."""
        context, text = request.context, request.text
        if not text.strip():
            return ()
        spec, playbook = context.spec, context.playbook
        prompt = self._prompt.render(
            label=spec.label,
            kind=spec.kind,
            options=[option for option in spec.options if option.value != UNKNOWN],
            scale=spec.scale,
            today=context.today,
            others=[other for other in playbook.fields if other.key != spec.key],
            question=request.question,
            answer=text[:MAX_ANSWER_CHARS],
            known_people=[
                f"{person.name} ({person.title})" if person.title else person.name
                for person in context.people
            ],
        )
        try:
            reply: Any = invoke_structured(self._model, answer_schema(spec, playbook), prompt)
        except ModelOutputInvalid as exc:
            log.warning("%s: %s", spec.key, exc)
            return ()
        log.debug("%s: %s -> %r", prompt.prompt_id, spec.key, reply)
        if reply.unsure:
            asked = ProposedFact(spec.key, UNKNOWN, confidence_of(reply.confidence), reply.words)
        elif reply.value is None:
            return ()
        else:
            asked = ProposedFact(
                spec.key, _text(reply.value), confidence_of(reply.confidence), reply.words
            )
        extras = tuple(
            ProposedFact(extra.field, extra.value, confidence_of(extra.confidence), extra.words)
            for extra in reply.extras
        )
        return (asked, *extras)


def _text(value: object) -> str:
    """A validated reply value as the playbook stores it."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)
