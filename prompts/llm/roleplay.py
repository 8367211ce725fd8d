"""A model speaks the stakeholder's next line in a role-play, from the scene the
deterministic role-play sets (coaching/coach/roleplay.py: who, the deal's concerns,
the one to press now, the conversation so far).

Any failure (the server, a timeout, an empty reply) raises ModelCallError, so the
caller plays the turn deterministically. The caller also checks the line against the
scene's texts before using it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coaching.coach.roleplay import Scene
from prompts import PromptTemplate, load_prompt
from prompts.llm.chat import ModelOutputInvalid, classify_failure
from prompts.llm.usage import UsageCounter

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_SAID_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ModelLine:
    """The stakeholder's words the model wrote, and the prompt that produced them."""

    text: str
    prompt_id: str


class ModelRolePlayer:
    """Plays the stakeholder with a LangChain chat model; counts its calls and tokens."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompt: PromptTemplate | None = None,
        *,
        usage: UsageCounter | None = None,
    ) -> None:
        self.usage = usage or UsageCounter()
        self._model = self.usage.watch(chat_model)
        self._prompt = prompt or load_prompt("roleplay")

    @property
    def prompt_id(self) -> str:
        return self._prompt.prompt_id

    def speak(self, scene: Scene) -> ModelLine:
        """The stakeholder's next line in `scene` (raises ModelCallError)."""
        rendered = self._prompt.render(
            who=scene.who,
            deal=scene.deal,
            concerns=scene.concerns,
            press=scene.press,
            reaction=scene.reaction,
            conversation=scene.conversation,
            said=scene.said[:MAX_SAID_CHARS],
        )
        try:
            reply = self._model.invoke(rendered.messages())
        except Exception as exc:
            failure = classify_failure(exc, self.prompt_id)
            if failure is None:
                raise
            raise failure from exc
        text = reply.text.strip() if isinstance(reply.text, str) else ""
        if not text:
            raise ModelOutputInvalid(f"{self.prompt_id}: an empty line")
        return ModelLine(text, self.prompt_id)
