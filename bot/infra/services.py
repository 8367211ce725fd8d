"""What every use case stands on (`Services`) and what a feature is built from (`Context`).

Both are made by bot/bootstrap.py, the composition root; nothing here connects to
anything when it is created (the chat model is built on first use).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.infra.recipients import Recipients
from bot.settings import Settings
from coaching.clock import Clock
from coaching.playbook import Playbook
from storage.db import Database

if TYPE_CHECKING:
    from prompts.llm.chat import BaseChatModel


@dataclass
class Services:
    """Settings, the database, the playbook, the clock."""

    settings: Settings
    database: Database
    playbook: Playbook
    clock: Clock


@dataclass
class Context:
    """What a feature factory gets: the services, where messages go, the chat model."""

    services: Services
    recipients: Recipients
    _chat_model: BaseChatModel | None = field(default=None, init=False, repr=False)

    @classmethod
    def of(cls, services: Services) -> Context:
        return cls(services, Recipients.from_settings(services.settings))

    def chat_model(self) -> BaseChatModel | None:
        """The configured model (built once, on first use), or None: the deterministic
        parser and templates then do all the work."""
        settings = self.services.settings
        if not settings.model_enabled:
            return None
        if self._chat_model is None:
            from bot.infra.metrics import MODEL_USAGE
            from prompts.llm import UsageCounter, build_chat_model

            counter = UsageCounter()
            MODEL_USAGE.counters.append(counter)
            self._chat_model = counter.watch(
                build_chat_model(settings.openai_api_key, settings.openai_base_url, settings.model)
            )
        return self._chat_model
