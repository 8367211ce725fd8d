"""A deal's answer history read the way the risk rules need it: latest values and trends."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from functools import cached_property

from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN


class AnswerHistory:
    """One deal's answers, oldest first: what is known now and how it moved."""

    def __init__(self, answers: Iterable[AnswerFact]) -> None:
        self.answers = sorted(answers, key=lambda answer: answer.answered_at)

    @cached_property
    def _latest(self) -> dict[str, AnswerFact]:
        return latest_answers(self.answers)

    def latest(self, field: str) -> str | None:
        """The newest answer's value, 'unknown' included; None when never answered."""
        answer = self._latest.get(field)
        return answer.value if answer else None

    def known(self, field: str) -> str | None:
        """The newest answer's value when it is a real answer (not 'unknown')."""
        value = self.latest(field)
        return None if value == UNKNOWN else value

    def is_unknown(self, field: str) -> bool:
        """Answered 'not sure', or never answered."""
        return self.known(field) is None

    def values(self, field: str) -> list[str]:
        return [answer.value for answer in self.answers if answer.field == field]

    def count(self, field: str, value: str) -> int:
        return self.values(field).count(value)

    def previous_known(self, field: str) -> str | None:
        """The last real answer before the current one that differs from it (a trend)."""
        current = self.known(field)
        if current is None:
            return None
        for value in reversed(self.values(field)):
            if value not in (UNKNOWN, current):
                return value
        return None

    def date(self, field: str) -> dt.date | None:
        value = self.known(field)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def later_moves(self, field: str) -> int:
        """How many times a date answer moved later than the one before."""
        dates = []
        for value in self.values(field):
            try:
                dates.append(dt.date.fromisoformat(value))
            except ValueError:
                continue
        return sum(1 for before, after in itertools.pairwise(dates) if after > before)

    def answered_on(self, field: str) -> dt.date | None:
        """The day of the newest answer to `field`."""
        answer = self._latest.get(field)
        return answer.answered_at.date() if answer else None

    def last_answered(self) -> dt.datetime | None:
        return self.answers[-1].answered_at if self.answers else None
