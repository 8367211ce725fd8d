"""The model's reading of a reply the deterministic reader was not sure of, fetched
before the transaction (a slow call) and checked like any reading
(`coaching.understanding.checked`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from coaching.understanding import ExtractionRequest, FactExtractor, Reading, checked

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ModelReading:
    """What the model read, for the question it was read for."""

    question_id: int
    reading: Reading


def read_with_model(
    extractor: FactExtractor, question_id: int, request: ExtractionRequest
) -> ModelReading | None:
    """Call the model (outside any transaction); None when it fails or reads nothing
    that passes the checks."""
    try:
        facts = extractor.extract(request)
    except Exception:
        log.warning("answer extraction failed; re-asking", exc_info=True)
        return None
    reading = checked(facts, request.context, request.text)
    return None if reading is None else ModelReading(question_id, reading)
