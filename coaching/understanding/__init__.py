"""Understanding what reps say: a reply to a check-in question becomes proposed facts,
or what it is instead of an answer.

    from coaching.understanding import ReplyContext, understand

    reading = understand("the CFO, Maria, but I have only met her once",
                         ReplyContext(playbook, "authority", today, people=...))
    match reading:
        case Answered(facts=facts): ...   # facts[0] for the field asked, then extras
        case Unclear(reason=reason): ...  # ask again; explain(reason, spec) says how

Pure and deterministic: no model, no I/O beyond reading its YAML once.
"""

from coaching.understanding.context import KnownPerson, PreviousAnswer, ReplyContext
from coaching.understanding.model_facts import (
    ExtractionRequest,
    FactExtractor,
    checked,
    is_sure,
)
from coaching.understanding.reader import read_chat_correction, understand
from coaching.understanding.readings import (
    Answered,
    Command,
    Confidence,
    Correction,
    Person,
    ProposedFact,
    Question,
    Reading,
    Skipped,
    SmallTalk,
    Unclear,
    Undo,
)
from coaching.understanding.wording import explain

__all__ = [
    "Answered",
    "Command",
    "Confidence",
    "Correction",
    "ExtractionRequest",
    "FactExtractor",
    "KnownPerson",
    "Person",
    "PreviousAnswer",
    "ProposedFact",
    "Question",
    "Reading",
    "ReplyContext",
    "Skipped",
    "SmallTalk",
    "Unclear",
    "Undo",
    "checked",
    "explain",
    "is_sure",
    "read_chat_correction",
    "understand",
]
