"""A model writes the champion briefing from the shareable view, and nothing else.

The prompt gets only the view's fields, each between data delimiters; the reply is
validated against BriefingContent. Any model failure becomes WriterUnavailable, so the
caller falls back to the deterministic writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coaching.briefing.content import BriefingContent
from coaching.briefing.drafting import WriterUnavailable
from coaching.briefing.view import ShareableDeal
from prompts import PromptTemplate, RenderedPrompt, load_prompt
from prompts.llm.chat import ModelCallError, invoke_structured

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

NOT_GIVEN = "(not given)"


class ModelBriefingWriter:
    """A BriefingWriter backed by a LangChain chat model."""

    def __init__(self, chat_model: BaseChatModel, prompt: PromptTemplate | None = None) -> None:
        self._model = chat_model
        self._prompt = prompt or load_prompt("briefing")
        self.name = f"model:{self._prompt.prompt_id}"

    @property
    def fixed_text(self) -> str:
        return self._prompt.source.read_text(encoding="utf-8")

    def prompt(self, view: ShareableDeal) -> RenderedPrompt:
        """The prompt for one deal: the view's fields, each as data."""
        champion, decision_maker = view.champion, view.decision_maker
        return self._prompt.render(
            today=view.today,
            account=view.account,
            product=view.product or NOT_GIVEN,
            summary=view.summary or NOT_GIVEN,
            facts=[
                f"{fact.label}: {fact.display}" + (" (may be out of date)" if fact.stale else "")
                for fact in view.facts
            ]
            or [NOT_GIVEN],
            people=[
                ", ".join(part for part in (person.name, person.title, person.role) if part)
                for person in view.people
            ]
            or [NOT_GIVEN],
            rep_name=view.rep_name,
            champion=champion.described if champion else NOT_GIVEN,
            decision_maker=decision_maker.described if decision_maker else NOT_GIVEN,
        )

    def write(self, view: ShareableDeal) -> BriefingContent:
        try:
            return invoke_structured(self._model, BriefingContent, self.prompt(view))
        except ModelCallError as exc:
            raise WriterUnavailable(str(exc)) from exc
