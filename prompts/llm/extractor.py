"""A model reads a rep's free-text answer into the playbook's vocabulary.

Each field gets its own reply schema (a choice's option values, a scale's range, an
ISO date...), so the model is steered to valid values and anything else is rejected:
an invalid reply becomes "no answer", never an invented value.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from coaching.extraction import Extraction
from coaching.playbook import UNKNOWN, FieldSpec, Scale
from prompts import PromptTemplate, load_prompt
from prompts.llm.chat import ModelOutputInvalid, invoke_structured

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
MAX_ANSWER_CHARS = 4000
MAX_NAME_CHARS = 80
MAX_GIST_CHARS = 280
_CONFIDENCE = Annotated[float, Field(ge=0.0, le=1.0, description="0 to 1")]
_UNSURE = Annotated[bool, Field(description="the rep says they do not know")]


class _Reply(BaseModel):
    """Strict: "4" is not 4 and 20270115 is not a date; a near miss is no answer."""

    model_config = ConfigDict(extra="forbid", strict=True)


def answer_schema(spec: FieldSpec) -> type[BaseModel]:
    """The reply schema for one field: value (typed by kind, or null), confidence, unsure."""
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
    return create_model(
        f"{spec.kind.capitalize()}Answer",
        __base__=_Reply,
        value=(value | None, Field(description=f"the {spec.label} answer, or null")),
        confidence=(_CONFIDENCE, ...),
        unsure=(_UNSURE, ...),
    )


class ModelAnswerExtractor:
    """An AnswerExtractor backed by a LangChain chat model.

    Model failures raise ModelCallError (the caller re-asks); a reply that does not
    validate is `Extraction(None, 0.0)`.
    """

    def __init__(self, chat_model: BaseChatModel, prompt: PromptTemplate | None = None) -> None:
        self._model = chat_model
        self._prompt = prompt or load_prompt("extract_answer")

    def extract(
        self,
        spec: FieldSpec,
        question: str,
        text: str,
        *,
        today: dt.date,
        known_names: Sequence[str] = (),
    ) -> Extraction:
        """Read `text`, the rep's reply to `question`, as an answer to `spec`."""
        if not text.strip():
            return Extraction(None, 0.0)
        prompt = self._prompt.render(
            label=spec.label,
            kind=spec.kind,
            options=[option for option in spec.options if option.value != UNKNOWN],
            scale=spec.scale,
            today=today,
            question=question,
            answer=text[:MAX_ANSWER_CHARS],
            known_names=list(known_names) if spec.kind == "person" else [],
        )
        try:
            reply: Any = invoke_structured(self._model, answer_schema(spec), prompt)
        except ModelOutputInvalid as exc:
            log.warning("%s: %s", spec.key, exc)
            return Extraction(None, 0.0, prompt=prompt.prompt_id)
        log.debug("%s: %s -> %r", prompt.prompt_id, spec.key, reply)
        if reply.unsure:
            return Extraction(UNKNOWN, reply.confidence, unsure=True, prompt=prompt.prompt_id)
        value = _vocabulary(spec, reply.value, known_names)
        confidence = reply.confidence if value is not None else 0.0
        return Extraction(value, confidence, prompt=prompt.prompt_id)


def _vocabulary(spec: FieldSpec, value: object, known_names: Sequence[str]) -> str | None:
    """The validated reply value as the playbook stores it; None when it is not usable."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        return None
    if spec.kind == "person":
        known = {name.casefold(): name for name in known_names}
        return known.get(text.casefold(), text if len(text) <= MAX_NAME_CHARS else None)
    if spec.kind == "text" and len(text) > MAX_GIST_CHARS:
        return text[: MAX_GIST_CHARS - 1].rstrip() + "…"
    return text
