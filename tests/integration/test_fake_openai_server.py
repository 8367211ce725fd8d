"""The fake OpenAI server answers the real clients the way the API does."""

import openai
import pytest
from pydantic import BaseModel

from prompts.llm import build_chat_model
from testkit.openai_server import FakeOpenAIServer, Reply


class Lookup(BaseModel):
    """Look a deal up by name."""

    name: str


def test_tool_calls_reach_langchain(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(Reply.tool_call("Lookup", {"name": "Acme"}))
    model = build_chat_model(None, openai_server.base_url, "m", max_retries=0)
    message = model.bind_tools([Lookup]).invoke("find Acme")
    assert [(call["name"], call["args"]) for call in message.tool_calls] == [
        ("Lookup", {"name": "Acme"})
    ]
    tools = openai_server.requests[0].body["tools"]
    assert tools[0]["function"]["name"] == "Lookup"


def test_requests_the_api_would_refuse_get_400(openai_server: FakeOpenAIServer) -> None:
    client = openai.OpenAI(api_key="k", base_url=openai_server.base_url, max_retries=0)
    with pytest.raises(openai.BadRequestError, match="messages must be a non-empty array"):
        client.chat.completions.create(model="m", messages=[])
    with pytest.raises(openai.BadRequestError, match="json_schema needs a name and a schema"):
        client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "hi"}],
            response_format={"type": "json_schema", "json_schema": {"name": "x"}},
        )
    assert len(openai_server.requests) == 2


def test_an_unscripted_request_says_so(openai_server: FakeOpenAIServer) -> None:
    client = openai.OpenAI(api_key="k", base_url=openai_server.base_url, max_retries=0)
    with pytest.raises(openai.BadRequestError, match="no reply scripted"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
