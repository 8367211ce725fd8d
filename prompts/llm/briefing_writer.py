"""A model writes the champion briefing from the shareable view, and nothing else.

The prompt gets the view's fields and the same typed inputs as the deterministic
writer (coaching/briefing/inputs.py), each between data delimiters; the reply is
validated against BriefingContent and goes through the same guard. Any model failure
becomes WriterUnavailable, so the caller falls back to the deterministic writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coaching.briefing.content import BriefingContent
from coaching.briefing.drafting import WriterUnavailable
from coaching.briefing.inputs import NOT_GIVEN, writer_inputs
from coaching.briefing.roles import RoleTable, load_roles
from coaching.briefing.view import ShareableDeal
from prompts import PromptTemplate, RenderedPrompt, load_prompt
from prompts.llm.chat import ModelCallError, invoke_structured

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class ModelBriefingWriter:
    """A BriefingWriter backed by a LangChain chat model."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompt: PromptTemplate | None = None,
        roles: RoleTable | None = None,
    ) -> None:
        self._model = chat_model
        self._prompt = prompt or load_prompt("briefing")
        self._roles = roles or load_roles()
        self.name = f"model:{self._prompt.prompt_id}"

    @property
    def fixed_text(self) -> str:
        return self._prompt.source.read_text(encoding="utf-8")

    def prompt(self, view: ShareableDeal) -> RenderedPrompt:
        """The prompt for one deal: the view's fields and typed inputs, each as data."""
        champion = view.champion
        inputs = writer_inputs(view, self._roles)
        return self._prompt.render(
            today=view.today,
            risk=view.risk or "none",
            account=view.account or NOT_GIVEN,
            product=view.product or NOT_GIVEN,
            summary=view.summary or NOT_GIVEN,
            buyer_facts=inputs.buyer_facts,
            facts=inputs.facts,
            people=[
                ", ".join(part for part in (person.name, person.title, person.role) if part)
                for person in view.people
            ]
            or [NOT_GIVEN],
            rep_name=view.rep_name,
            champion=champion.described if champion else NOT_GIVEN,
            decision_makers=inputs.decision_makers,
            attendees=inputs.attendees,
            seller=inputs.seller,
            missing=inputs.missing,
        )

    def write(self, view: ShareableDeal) -> BriefingContent:
        try:
            return invoke_structured(self._model, BriefingContent, self.prompt(view))
        except ModelCallError as exc:
            raise WriterUnavailable(str(exc)) from exc
