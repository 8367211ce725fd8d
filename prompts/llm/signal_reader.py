"""A model reads a CRM text into signals; every quote is checked against the text.

Structured output restricts kinds to the lexicon's; a quote not found verbatim in
the text it came from is dropped (a model may paraphrase, we keep only real words).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from coaching.evidence.lexicon import KINDS
from coaching.evidence.model import Activity, Signal
from coaching.evidence.reading import quote_is_verbatim
from prompts import PromptTemplate, load_prompt
from prompts.llm.chat import ModelOutputInvalid, invoke_structured

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
MAX_TEXT_CHARS = 6000
MEANINGS = {
    "decision_timeline": "the buyer talks about when or how they will decide",
    "budget_blocked": "money is not available now (frozen, cut, not approved, next year)",
    "budget_approved": "the buyer says the budget is approved or allocated",
    "competitor": "another vendor is being considered (named or not)",
    "incumbent": "a vendor already in place, a current contract or renewal",
    "fear_of_change": "the buyer fears the change, its risk or disruption to the team",
    "request": "the buyer asks for something before deciding (reference, demo, pricing)",
    "repeated_request": "the buyer asks again for more of the same (a third reference...)",
    "follow_up_unanswered": "the rep reached out and the buyer has not answered",
    "partner_led": "the deal goes through a partner; no direct access to the buyer",
    "champion_wavering": "our internal supporter is cooling, unsure or losing standing",
    "no_urgency": "nothing forces a change now (no rush, not a priority, on hold)",
}


class _Found(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[KINDS]  # type: ignore[valid-type]
    quote: Annotated[str, Field(min_length=1, max_length=400)]
    confidence: Annotated[float, Field(ge=0.0, le=1.0)]


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signals: list[_Found]


class ModelSignalReader:
    """Signals from one activity's text, by a chat model; quotes checked verbatim."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompt: PromptTemplate | None = None,
        min_confidence: float = 0.5,
    ) -> None:
        self._model = chat_model
        self._prompt = prompt or load_prompt("extract_signals")
        self._min_confidence = min_confidence

    def read_activity(self, activity: Activity) -> list[Signal]:
        """The signals the model finds; [] when the reply is unusable (logged).

        Model failures (unreachable, timeout) raise ModelCallError: the caller keeps
        the lexicon's signals and may retry later.
        """
        text = "\n\n".join(part for part in (activity.subject, activity.body) if part)
        if not text.strip():
            return []
        prompt = self._prompt.render(
            kinds=[{"name": kind, "meaning": MEANINGS[kind]} for kind in KINDS],
            source=activity.kind,
            text=text[:MAX_TEXT_CHARS],
        )
        try:
            reply = invoke_structured(self._model, _Reply, prompt)
        except ModelOutputInvalid as exc:
            log.warning("%s: %s", prompt.prompt_id, exc)
            return []
        kept = []
        for found in reply.signals:
            quote = found.quote.strip()
            if found.confidence < self._min_confidence:
                continue
            if not quote_is_verbatim(quote, text):
                log.info("%s: dropped a quote not in the text: %r", prompt.prompt_id, quote)
                continue
            kept.append(
                Signal(
                    activity.deal_id,
                    found.kind,
                    quote,
                    activity.occurred_at.date(),
                    activity.kind,
                    f"{activity.source}:{activity.source_ref}",
                    found.confidence,
                )
            )
        return kept
