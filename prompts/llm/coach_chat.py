"""A model answers a question about deals through read-only tools over the asker's own
data (coaching/coach/tools.py), in a bounded tool-calling loop.

Any failure (the server, a timeout, too many rounds, an empty reply) raises
ModelCallError, so the caller answers with the deterministic coach. The caller also
checks the reply against the tools' outputs before showing it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coaching.coach.tools import CoachTools, ToolSpec
from prompts import PromptTemplate, load_prompt
from prompts.llm.chat import ModelOutputInvalid, ModelTimeout, classify_failure
from prompts.llm.usage import UsageCounter

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
MAX_ROUNDS = 5  # model calls per question: tool rounds, then the answer
BUDGET_S = 20.0  # past this, no further round starts
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """The model's reply, what its tools returned, and the prompt that produced it."""

    text: str
    tool_outputs: tuple[str, ...]
    prompt_id: str


class ModelCoach:
    """Answers with a LangChain tool-calling chat model; counts its calls and tokens."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompt: PromptTemplate | None = None,
        *,
        usage: UsageCounter | None = None,
        budget_s: float = BUDGET_S,
    ) -> None:
        self.usage = usage or UsageCounter()
        self._model = self.usage.watch(chat_model)
        self._prompt = prompt or load_prompt("coach_chat")
        self.budget_s = budget_s

    @property
    def prompt_id(self) -> str:
        return self._prompt.prompt_id

    def answer(self, question: str, tools: CoachTools) -> ModelAnswer:
        """The model's answer to `question`, using `tools` (raises ModelCallError)."""
        from langchain_core.messages import AIMessage, ToolMessage

        rendered = self._prompt.render(
            asker=tools.asker.name,
            role="manager" if tools.asker.is_manager else "rep",
            today=tools.today.isoformat(),
            question=question[:MAX_QUESTION_CHARS],
        )
        model = self._model.bind_tools([_schema(spec) for spec in tools.specs])
        messages: list[Any] = rendered.messages()
        started = time.monotonic()
        for _ in range(MAX_ROUNDS):
            if time.monotonic() - started > self.budget_s:
                raise ModelTimeout(f"{self.prompt_id}: no answer within {self.budget_s:.0f} s")
            reply = self._invoke(model, messages)
            if not isinstance(reply, AIMessage):
                raise ModelOutputInvalid(f"{self.prompt_id}: unexpected reply {reply!r}")
            if not reply.tool_calls:
                text = reply.text.strip() if isinstance(reply.text, str) else ""
                if not text:
                    raise ModelOutputInvalid(f"{self.prompt_id}: an empty answer")
                return ModelAnswer(text, tuple(tools.outputs), self.prompt_id)
            messages.append(reply)
            for call in reply.tool_calls:
                output = tools.call(call["name"], dict(call.get("args") or {}))
                messages.append(ToolMessage(content=output, tool_call_id=call["id"] or ""))
        raise ModelOutputInvalid(f"{self.prompt_id}: still calling tools after {MAX_ROUNDS} rounds")

    def _invoke(self, model: Any, messages: list[Any]) -> object:
        try:
            return model.invoke(messages)
        except Exception as exc:
            failure = classify_failure(exc, self.prompt_id)
            if failure is None:
                raise
            raise failure from exc


def _schema(spec: ToolSpec) -> dict[str, Any]:
    """The tool in OpenAI's function format: every parameter a required string."""
    return {
        "type": "function",
        "function": {
            "name": spec.name,
            "description": spec.description,
            "parameters": {
                "type": "object",
                "properties": {
                    name: {"type": "string", "description": text}
                    for name, text in spec.parameters.items()
                },
                "required": list(spec.parameters),
                "additionalProperties": False,
            },
        },
    }
