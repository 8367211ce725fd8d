"""`pause DEAL until DATE because REASON`, read in one pass over its words.

The words are found with `str.split` and scanned once, so a 40,000-character message
costs 40,000 characters' work (a regular expression with `\\s+` around the keywords
went quadratic on long runs of spaces). The command reads it as a preparer, before
the engine's transaction, so even a long message holds no lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.messages import Incoming

REASON_WORDS = frozenset({"because", "since", "as"})
UNTIL_WORDS = frozenset({"until"})
MAX_NAME_WORDS = 20  # a deal name longer than this is not a deal name


@dataclass(frozen=True, slots=True)
class PauseRequest:
    name: str
    until: str
    reason: str


def parse_pause(text: str) -> PauseRequest:
    """Name before the first `until`, the date up to the first `because`/`since`/`as`
    after it, the reason after that (each part "" when missing); spaces collapse."""
    words = text.split()
    reason_at = _first(words, REASON_WORDS, 1)
    head, reason = words[:reason_at], words[reason_at + 1 :]
    until_at = _first(head, UNTIL_WORDS, 1)
    name, until = head[:until_at], head[until_at + 1 :]
    if len(name) > MAX_NAME_WORDS:
        name = []
    return PauseRequest(" ".join(name), " ".join(until), " ".join(reason))


def read_pause(_incoming: Incoming, args: str) -> PauseRequest:
    """The preparer: the command's words, read before the transaction."""
    return parse_pause(args)


def _first(words: list[str], wanted: frozenset[str], start: int) -> int:
    """The index of the first of `wanted` at or after `start` (any case), else len(words)."""
    for index in range(start, len(words)):
        if words[index].lower() in wanted:
            return index
    return len(words)
