"""The model's turn, before the transaction: a question about deals is put to the
tool-calling model over the asker's scope, read in a short transaction of its own (no
lock is held during the model call). Its answer is kept only if every figure and name
in it is in what the tools returned (or in the question, or the coach's own words);
otherwise, on a timeout or on any model error, the deterministic coach answers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from bot.coach.scope import asker, load_scope
from bot.engine.messages import Incoming
from bot.infra.local_time import local_date
from bot.infra.services import Services
from coaching.coach import CoachKit, IntentBook, read_intent
from coaching.coach.grounding import COACH_DIR, RISK_WORDING, ungrounded, yaml_texts
from coaching.coach.tools import CoachTools
from coaching.risk import RiskEngine
from storage import checkins, people
from storage import coach as store

if TYPE_CHECKING:
    from prompts.llm import ModelCoach

log = logging.getLogger(__name__)
MODEL_INTENTS = frozenset(
    {"deal_review", "pipeline", "meeting_prep", "rep_summary", "slipping", "one_on_one"}
)
_QUESTION = re.compile(
    r"\?\s*$|^(?:who|what|when|where|why|how|which|is|are|should|can|could|do|does|will)\b",
    re.IGNORECASE,
)
MIN_QUESTION_WORDS = 3


@dataclass(frozen=True, slots=True)
class ModelReply:
    """The model's checked answer to the text `question`."""

    question: str
    answer: str


@dataclass
class ModelStep:
    services: Services
    engine: RiskEngine
    kit: CoachKit
    intents: IntentBook
    coach: ModelCoach

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        """The coach's own vocabulary a model may use besides the tools' outputs."""
        paths = (COACH_DIR / "plays.yaml", COACH_DIR / "roles.yaml", RISK_WORDING)
        return tuple(yaml_texts(paths))

    def prepare(self, incoming: Incoming) -> ModelReply | None:
        """The model's answer, when the text is a question for it and the answer holds."""
        text = (incoming.text or "").strip()
        intent = read_intent(text, self.intents)
        free_question = len(text.split()) >= MIN_QUESTION_WORDS and bool(_QUESTION.search(text))
        if intent.kind not in MODEL_INTENTS and not (intent.kind == "unknown" and free_question):
            return None
        services = self.services
        now = services.clock.now()
        with services.database.transaction() as session:
            person = people.person(session, incoming.person_id)
            if store.open_session(session, person.id) is not None:
                return None  # a role-play takes the text
            if intent.kind == "unknown" and checkins.asked_question(session, person.id):
                return None  # most likely an answer to the check-in's question
            scope = load_scope(session, person, now, services.playbook, self.engine)
            who, today = asker(person), local_date(now, person.timezone)
        tools = CoachTools(who, scope, self.kit, self.intents, today)
        from prompts.llm import ModelCallError

        try:
            answer = self.coach.answer(text, tools)
        except ModelCallError as exc:
            log.warning("coach: the model gave no answer, the playbook answers: %s", exc)
            return None
        problems = ungrounded(answer.text, [*answer.tool_outputs, text, who.name, *self.allowed])
        if problems:
            log.warning(
                "coach: %s's answer states what its tools did not return (%s); "
                "the playbook answers",
                answer.prompt_id,
                ", ".join(problems[:5]),
            )
            return None
        usage = self.coach.usage
        log.info(
            "coach: %s answered (%d calls, %d tokens so far)",
            answer.prompt_id,
            usage.calls,
            usage.total_tokens,
        )
        return ModelReply(text, answer.text)
