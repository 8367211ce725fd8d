"""A local OpenAI-compatible Chat Completions server, so the real client code runs in tests.

It serves `POST /v1/chat/completions` on 127.0.0.1 (a free port) from a background
thread, checks requests the way the API does (model, messages, response_format),
records every request, and answers from a script of `Reply`s or from a responder
function that sees the request. A reply can be an error (429 with Retry-After, 500...)
or come after a delay, to exercise timeouts and retries.

    with FakeOpenAIServer() as server:
        server.script(Reply.json({"value": "confirmed"}))
        ChatOpenAI(base_url=server.base_url, api_key="x", model="m").invoke("hi")
        server.requests[0].user  # the prompt the client sent
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from testkit.background import BackgroundApp

ROLES = {"system", "developer", "user", "assistant", "tool"}
RESPONSE_FORMATS = {"text", "json_object", "json_schema"}


@dataclass(frozen=True)
class Reply:
    """What the server answers to one request."""

    content: str | None = None
    refusal: str | None = None
    tool_calls: tuple[dict[str, Any], ...] = ()
    status: int = 200
    error: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    finish_reason: str | None = None
    usage: tuple[int, int] | None = None  # (prompt, completion) tokens; else estimated

    @classmethod
    def json(cls, payload: object, **options: Any) -> Reply:
        """A message whose content is `payload` as JSON (what structured output expects)."""
        return cls(content=json.dumps(payload), **options)

    @classmethod
    def tool_call(cls, name: str, arguments: dict[str, Any], **options: Any) -> Reply:
        """A message calling one tool with `arguments`."""
        call = {"name": name, "arguments": json.dumps(arguments)}
        return cls(tool_calls=(call,), **options)

    @classmethod
    def failure(cls, status: int, message: str = "", retry_after_s: float | None = None) -> Reply:
        """An API error; `retry_after_s` sends Retry-After and retry-after-ms as OpenAI does."""
        headers = {}
        if retry_after_s is not None:
            headers = {
                "retry-after": str(math.ceil(retry_after_s)),
                "retry-after-ms": str(round(retry_after_s * 1000)),
            }
        return cls(status=status, error=message or f"fake error {status}", headers=headers)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float  # time.monotonic()

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    def contents(self, role: str) -> list[str]:
        return [
            _text(message.get("content")) for message in self.messages if message["role"] == role
        ]

    @property
    def system(self) -> str:
        return "\n".join(self.contents("system") + self.contents("developer"))

    @property
    def user(self) -> str:
        return "\n".join(self.contents("user"))

    @property
    def json_schema(self) -> dict[str, Any] | None:
        """The `json_schema` part of response_format, when the client asked for one."""
        response_format = self.body.get("response_format") or {}
        return (
            response_format.get("json_schema")
            if response_format.get("type") == "json_schema"
            else None
        )


Responder = Callable[[RecordedRequest], Reply]


class FakeOpenAIServer:
    """The server; use it as a context manager or call start() and stop()."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.responder = responder
        self.requests: list[RecordedRequest] = []
        self._script: deque[Reply] = deque()
        self._ids = itertools.count(1)
        self._server = BackgroundApp("fake-openai")
        self._closing: asyncio.Event | None = None
        self.url = ""

    @property
    def base_url(self) -> str:
        """What OpenAI clients take as base_url."""
        return f"{self.url}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies, used in order before the responder."""
        self._script.extend(replies)

    @property
    def pending(self) -> int:
        """How many scripted replies no request has used yet."""
        return len(self._script)

    def start(self) -> FakeOpenAIServer:
        self.url = self._server.start(self._app)
        return self

    def stop(self) -> None:
        self._server.stop(before=self._wake_delayed_replies)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    async def _app(self) -> web.Application:
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        return app

    async def _wake_delayed_replies(self) -> None:
        """So that shutting down does not wait for replies told to be slow."""
        assert self._closing is not None
        self._closing.set()

    async def _chat_completions(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return _error(401, "missing bearer token", "invalid_request_error")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not valid JSON", "invalid_request_error")
        recorded = RecordedRequest(request.path, dict(request.headers), body, time.monotonic())
        self.requests.append(recorded)
        problem = _check_request(body)
        if problem:
            return _error(400, problem, "invalid_request_error")
        reply = self._next_reply(recorded)
        if reply.delay_s:
            assert self._closing is not None
            try:
                await asyncio.wait_for(self._closing.wait(), reply.delay_s)
                return _error(503, "server shutting down", "server_error")
            except TimeoutError:
                pass
        if reply.status != 200:
            kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
            return _error(reply.status, reply.error, kind, reply.headers)
        return web.json_response(self._completion(body, reply), headers=reply.headers)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        if self._script:
            return self._script.popleft()
        if self.responder is None:
            return Reply.failure(400, "fake OpenAI server: no reply scripted for this request")
        try:
            return self.responder(request)
        except Exception as exc:
            return Reply.failure(400, f"fake OpenAI server: the responder raised {exc!r}")

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": reply.content,
            "refusal": reply.refusal,
        }
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{next(self._ids)}", "type": "function", "function": call}
                for call in reply.tool_calls
            ]
        prompt_tokens, completion_tokens = reply.usage or (
            _estimate_tokens(json.dumps(body["messages"])),
            _estimate_tokens(reply.content or json.dumps(reply.tool_calls)),
        )
        return {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "system_fingerprint": "fp_fake",
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": reply.finish_reason
                    or ("tool_calls" if reply.tool_calls else "stop"),
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def _check_request(body: Any) -> str | None:
    """What the real API would reject with 400, or None."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty array"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return f"messages[{index}].role must be one of {sorted(ROLES)}"
    if body.get("stream"):
        return "fake OpenAI server: streaming is not supported"
    response_format = body.get("response_format")
    if response_format is not None:
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind not in RESPONSE_FORMATS:
            return f"response_format.type must be one of {sorted(RESPONSE_FORMATS)}"
        schema = response_format.get("json_schema")
        if kind == "json_schema" and not (
            isinstance(schema, dict)
            and schema.get("name")
            and isinstance(schema.get("schema"), dict)
        ):
            return "response_format.json_schema needs a name and a schema"
    return None


def _error(
    status: int, message: str, kind: str, headers: dict[str, str] | None = None
) -> web.Response:
    payload = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return web.json_response(payload, status=status, headers=headers)


def _text(content: Any) -> str:
    """A message's content as text (a string, or a list of text parts)."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


def _estimate_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))
