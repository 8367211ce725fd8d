"""Fixtures for integration tests that need local servers."""

from collections.abc import Iterator

import pytest

from testkit.openai_server import FakeOpenAIServer
from testkit.smtp_server import FakeSMTPServer


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A fresh OpenAI-compatible server on 127.0.0.1; tests script its replies."""
    with FakeOpenAIServer() as server:
        yield server
        assert not server.pending, f"{server.pending} scripted replies were never requested"


@pytest.fixture
def smtp_server() -> Iterator[FakeSMTPServer]:
    """A local SMTP server on 127.0.0.1 that keeps every message it receives."""
    with FakeSMTPServer() as server:
        yield server
