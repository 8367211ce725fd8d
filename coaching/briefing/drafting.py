"""Drafting a briefing: a writer fills it from the shareable view, the guard checks it.

Both writers (deterministic, model) go through `write_briefing`; so does a rep's edit
(`check_briefing`). A draft with any internal value in it is blocked, with the reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from coaching.briefing.content import BriefingContent
from coaching.briefing.deterministic import DeterministicWriter
from coaching.briefing.guard import InternalValues, Leak, find_leaks
from coaching.briefing.view import ShareableDeal


class WriterUnavailable(Exception):
    """The writer gave no usable briefing (a model that failed); the message says why."""


class BriefingWriter(Protocol):
    name: str

    @property
    def fixed_text(self) -> str:
        """The writer's own words: public, never mistaken for a leaked secret."""
        ...

    def write(self, view: ShareableDeal) -> BriefingContent: ...


@dataclass(frozen=True, slots=True)
class Draft:
    content: BriefingContent
    writer: str
    leaks: tuple[Leak, ...] = ()
    fallback_reason: str | None = None

    @property
    def blocked(self) -> bool:
        return bool(self.leaks)


def check_briefing(
    content: BriefingContent,
    view: ShareableDeal,
    internal: InternalValues,
    fixed_texts: Sequence[str],
) -> tuple[Leak, ...]:
    """The internal values in the champion's page (empty when it is safe to share).

    Only what the champion reads is checked: the rep's notes (talk track, role-play,
    missing facts) are never sent, so they never block the approval."""
    return tuple(find_leaks(content.shared_text(), internal, [*view.texts(), *fixed_texts]))


def write_briefing(
    view: ShareableDeal,
    internal: InternalValues,
    writer: BriefingWriter,
    fallback: DeterministicWriter | None = None,
    public: Sequence[str] = (),
) -> Draft:
    """Write and check a draft; when the writer fails, the fallback writes it instead.
    `public`: more of the product's own wording, never a leak."""
    fixed = [writer.fixed_text, *([fallback.fixed_text] if fallback else []), *public]
    try:
        content, name, reason = writer.write(view), writer.name, None
    except WriterUnavailable as exc:
        if fallback is None:
            raise
        content, name, reason = fallback.write(view), fallback.name, str(exc)
    return Draft(content, name, check_briefing(content, view, internal, fixed), reason)
