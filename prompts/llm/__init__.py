"""The model layer: LangChain lives here and nowhere else in coaching/.

`build_chat_model` makes a chat model from settings, `invoke_structured` calls one
for a pydantic-validated reply, `ModelAnswerExtractor` reads replies into facts
(coaching.understanding.FactExtractor), `ModelBriefingWriter` writes champion
briefings, `ModelCoach` answers questions about deals through read-only tools,
`ModelSignalReader` reads signals from notes, `ModelRolePlayer` speaks the stakeholder
in a role-play, and `UsageCounter` counts calls and tokens. Importing this package does not import
`langchain_openai` (slow); that happens on the first `build_chat_model`.
"""

from prompts.llm.briefing_writer import ModelBriefingWriter
from prompts.llm.chat import (
    ModelCallError,
    ModelOutputInvalid,
    ModelTimeout,
    ModelUnavailable,
    build_chat_model,
    invoke_structured,
    ping,
)
from prompts.llm.coach_chat import ModelAnswer, ModelCoach
from prompts.llm.extractor import ModelAnswerExtractor, answer_schema
from prompts.llm.roleplay import ModelLine, ModelRolePlayer
from prompts.llm.signal_reader import ModelSignalReader
from prompts.llm.usage import UsageCounter

__all__ = [
    "ModelAnswer",
    "ModelAnswerExtractor",
    "ModelBriefingWriter",
    "ModelCallError",
    "ModelCoach",
    "ModelLine",
    "ModelOutputInvalid",
    "ModelRolePlayer",
    "ModelSignalReader",
    "ModelTimeout",
    "ModelUnavailable",
    "UsageCounter",
    "answer_schema",
    "build_chat_model",
    "invoke_structured",
    "ping",
]
