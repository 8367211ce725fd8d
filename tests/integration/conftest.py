"""Fixtures for integration tests that need local servers."""

from collections.abc import Iterator

import pytest

from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A fresh OpenAI-compatible server on 127.0.0.1; tests script its replies."""
    with FakeOpenAIServer() as server:
        yield server
        assert not server.pending, f"{server.pending} scripted replies were never requested"
