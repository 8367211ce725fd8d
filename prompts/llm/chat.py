"""Chat models and structured calls, with one clear error family for callers to catch.

`langchain_openai` and `openai` are imported inside the functions that need them:
importing them costs over a second, and the CLI and console must start fast.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from prompts import RenderedPrompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_openai import ChatOpenAI

log = logging.getLogger(__name__)
Schema = TypeVar("Schema", bound=BaseModel)
LOCAL_SERVER_KEY = "not-needed"  # OpenAI-compatible local servers accept any key


class ModelCallError(Exception):
    """The model gave no usable answer; callers fall back (re-ask, use the template)."""


class ModelUnavailable(ModelCallError):
    """The model server failed, refused the request or could not be reached."""


class ModelTimeout(ModelUnavailable):
    """The model did not answer within the timeout, retries included."""


class ModelOutputInvalid(ModelCallError):
    """The model answered, but its output does not validate against the schema."""


def build_chat_model(
    api_key: str | None,
    base_url: str | None,
    model: str,
    timeout_s: float = 30.0,
    max_retries: int = 2,
) -> ChatOpenAI:
    """A ChatOpenAI for OpenAI or any OpenAI-compatible server at `base_url`.

    `timeout_s` bounds each HTTP attempt; the client retries 429, 5xx, connection
    errors and timeouts `max_retries` times with backoff, honouring Retry-After.
    Temperature is 0 (reading answers wants repeatable output); `.bind()` another.
    """
    if not api_key and not base_url:
        raise ValueError("a chat model needs an API key, or the base URL of a local server")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model,
        api_key=SecretStr(api_key or LOCAL_SERVER_KEY),
        base_url=base_url,
        timeout=timeout_s,
        max_retries=max_retries,
        temperature=0,
        use_responses_api=False,  # local servers speak Chat Completions only
    )


def invoke_structured(
    chat_model: BaseChatModel, schema: type[Schema], prompt: RenderedPrompt
) -> Schema:
    """Send `prompt` asking for JSON matching `schema`; return the validated object.

    Raises ModelTimeout, ModelUnavailable or ModelOutputInvalid (all ModelCallError).
    """
    runnable = chat_model.with_structured_output(schema, method="json_schema", include_raw=True)
    try:
        result: Any = runnable.invoke(prompt.messages())
    except ValidationError as exc:  # the OpenAI client validates while parsing the reply
        raise ModelOutputInvalid(f"{prompt.prompt_id}: the reply does not validate: {exc}") from exc
    except Exception as exc:
        failure = classify_failure(exc, prompt.prompt_id)
        if failure is None:
            raise
        raise failure from exc
    parsed, error = result["parsed"], result["parsing_error"]
    if error is not None:
        reason = f"{type(error).__name__}: {error}"
        raise ModelOutputInvalid(f"{prompt.prompt_id}: the reply is unusable: {reason}") from error
    if not isinstance(parsed, schema):
        raise ModelOutputInvalid(f"{prompt.prompt_id}: expected {schema.__name__}, got {parsed!r}")
    return parsed


def classify_failure(exc: Exception, prompt_id: str) -> ModelCallError | None:
    """Our error for a provider or client failure; None for anything else (a bug)."""
    import openai
    from langchain_core.exceptions import (
        ModelAuthenticationError,
        ModelError,
        ModelNotFoundError,
        ModelTimeoutError,
    )

    if isinstance(exc, ModelTimeoutError | openai.APITimeoutError):
        return ModelTimeout(f"{prompt_id}: the model did not answer in time: {exc}")
    if isinstance(exc, ModelAuthenticationError | openai.AuthenticationError):
        return ModelUnavailable(f"{prompt_id}: the model server refused the API key: {exc}")
    if isinstance(exc, ModelNotFoundError | openai.NotFoundError):
        return ModelUnavailable(f"{prompt_id}: the server does not know this model or URL: {exc}")
    if isinstance(exc, ModelError | openai.APIError):
        return ModelUnavailable(f"{prompt_id}: the model call failed: {exc}")
    if isinstance(exc, openai.OpenAIError):  # e.g. the reply was cut off at max tokens
        return ModelOutputInvalid(f"{prompt_id}: the reply is unusable: {exc}")
    return None


def ping(chat_model: BaseChatModel) -> str:
    """One tiny call (a few tokens), to check the model answers; its reply.

    Raises ModelUnavailable with what went wrong."""
    try:
        reply = chat_model.bind(max_tokens=5).invoke([("user", "Reply with the word OK.")])
    except Exception as exc:
        raise ModelUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return str(reply.content).strip()
