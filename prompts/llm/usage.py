"""Count a chat model's calls and tokens (for benchmarks and cost estimates)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler, BaseCallbackManager

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.outputs import LLMResult

CHARS_PER_TOKEN = 4  # a rough estimate, used only when the server reports no usage
_COUNTING: ContextVar[UsageCounter | None] = ContextVar("dealcoach_usage_counter", default=None)


class UsageCounter(BaseCallbackHandler):
    """Counts the calls and tokens of every chat model it `watch`es, or of every call
    made inside `counting()`.

    A LangChain callback rather than a wrapper class, so the watched model keeps all
    of its own behaviour (`with_structured_output`, retries). Tokens are the server's
    `usage` figures; when a reply has none they are estimated from characters and
    `estimated_calls` says how many were. One call is one model invocation, however
    many HTTP retries it took.
    """

    def __init__(self) -> None:
        self.calls = 0
        self.failures = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.estimated_calls = 0
        self._prompt_chars: dict[UUID, int] = {}
        self._lock = threading.Lock()

    def watch(self, chat_model: BaseChatModel) -> BaseChatModel:
        """A copy of `chat_model` that reports every call to this counter."""
        callbacks = chat_model.callbacks
        if isinstance(callbacks, BaseCallbackManager):
            manager = callbacks.copy()
            manager.add_handler(self)
            return chat_model.model_copy(update={"callbacks": manager})
        return chat_model.model_copy(update={"callbacks": [*(callbacks or []), self]})

    @contextmanager
    def counting(self) -> Iterator[UsageCounter]:
        """Count every chat model call made in this context, whichever code built the
        model (a context variable: this thread, and the asyncio tasks it starts)."""
        _hook_once()
        token = _COUNTING.set(self)
        try:
            yield self
        finally:
            _COUNTING.reset(token)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        **kwargs: Any,
    ) -> None:
        chars = sum(len(str(message.content)) for batch in messages for message in batch)
        with self._lock:
            self.calls += 1
            self._prompt_chars[run_id] = chars

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        generations = [generation for batch in response.generations for generation in batch]
        message = getattr(generations[0], "message", None) if generations else None
        usage = getattr(message, "usage_metadata", None)
        with self._lock:
            prompt_chars = self._prompt_chars.pop(run_id, 0)
            if usage:
                self.prompt_tokens += usage["input_tokens"]
                self.completion_tokens += usage["output_tokens"]
            else:
                reply_chars = sum(len(generation.text) for generation in generations)
                self.prompt_tokens += -(-prompt_chars // CHARS_PER_TOKEN)
                self.completion_tokens += -(-reply_chars // CHARS_PER_TOKEN)
                self.estimated_calls += 1

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            self._prompt_chars.pop(run_id, None)
            self.failures += 1


@functools.cache
def _hook_once() -> None:
    """Have LangChain add the context's counter to every run (registered on first use:
    the tracers module is slow to import)."""
    from langchain_core.tracers.context import register_configure_hook

    register_configure_hook(_COUNTING, inheritable=True)
