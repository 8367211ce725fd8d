"""Date fields: the one date a reply names, wherever it is in the reply."""

from __future__ import annotations

from coaching.dates import DateMention, find_dates
from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import lexicon
from coaching.understanding.options import Miss
from coaching.understanding.readings import Candidate, Confidence

COARSE = {"month", "quarter", "half", "year", "month_part", "vague"}


def dates_in(text: str, context: ReplyContext) -> list[DateMention]:
    """The date phrases of a reply that are not negated ("not March")."""
    negators = lexicon().negators
    mentions = find_dates(text, context.today, fiscal=context.fiscal, day_first=context.day_first)
    return [
        mention
        for mention in mentions
        if not any(
            word.strip(",.") in negators for word in text[: mention.start].lower().split()[-1:]
        )
    ]


def read_date(text: str, context: ReplyContext) -> Candidate | Miss:
    mentions = dates_in(text, context)
    dated = [mention for mention in mentions if mention.value and mention.precision != "vague"]
    values = {mention.value for mention in dated}
    if len(values) > 1:
        return Miss("several_dates")
    if not values:
        if any(mention.ambiguous for mention in mentions):
            return Miss("date_ambiguous")
        return Miss("date_vague" if mentions else "date")
    mention = dated[0]
    assert mention.value is not None
    confidence: Confidence = "medium" if mention.approximate or mention.past else "high"
    return Candidate(mention.value.isoformat(), confidence, mention.text, date=mention.value)


def carried_date(mention: DateMention) -> Confidence:
    """How sure a date picked up from another answer is ("demo next Thursday" -> high;
    "kickoff in January" names a month, not the day: medium)."""
    if mention.approximate or mention.past or mention.precision in COARSE:
        return "medium"
    return "high"
