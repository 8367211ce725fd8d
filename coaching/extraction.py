"""The seam between answer parsing and a language model.

The deterministic parser runs first; when it cannot read an answer and a model is
configured, an `AnswerExtractor` tries. Implementations live in prompts.llm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from coaching.playbook import FieldSpec


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a model read from a free-text answer.

    `value` uses the playbook's vocabulary: an option value for choices, "1".."5" for
    scales, an ISO date for dates, a name for people, the gist for text. None means
    the text does not answer the question. `unsure` means the rep said they do not know
    (then `value` is "unknown"). `prompt` names the prompt ("task@version") a model read
    the answer with, to store alongside it.
    """

    value: str | None
    confidence: float
    unsure: bool = False
    prompt: str | None = None


class AnswerExtractor(Protocol):
    def extract(
        self,
        spec: FieldSpec,
        question: str,
        text: str,
        *,
        today: dt.date,
        known_names: Sequence[str] = (),
    ) -> Extraction: ...
