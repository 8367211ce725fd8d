"""Next best actions: the plays of plays.yaml chosen for one deal, worded with its facts.

Plays answer the risks the risk engine found, most severe first (a tie keeps the
file's order); when fewer than three apply, the most important unknown fields become
"find out" actions with a question for the buyer. Each action carries the exact
words to use and, when a risk chose it, that risk's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coaching.coach.deal_view import DealView
from coaching.coach.text import Fact, Line, Slot, TemplateError, fill, join, line
from coaching.coach.wording import CoachWording, CoachWordingError
from coaching.data_files import read_yaml_mapping
from coaching.playbook import StageGroup
from coaching.risk import Finding

PLAYS_FILE = Path(__file__).with_name("plays.yaml")
GAP_RELEVANCE = 0.5  # below any risk (severities are 1-3)
ANSWER_RELEVANCE = 1.0  # a play's `or_when`: as a "watch" risk


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """Conditions on a deal; every one given must hold."""

    rules: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    answers: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    not_answers: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    groups: tuple[StageGroup, ...] = ()

    def holds(self, view: DealView) -> bool:
        card = view.card
        return (
            (not self.rules or any(view.finding(rule) for rule in self.rules))
            and (not self.signals or bool(view.signals.intersection(self.signals)))
            and all(view.unknown(key) for key in self.unknown)
            and not any(view.unknown(key) for key in self.known)
            and all(card.value(key) in values for key, values in self.answers.items())
            and all(card.value(key) not in values for key, values in self.not_answers.items())
            and (not self.groups or view.group in self.groups)
        )

    def findings(self, view: DealView) -> list[Finding]:
        """The deal's findings this condition is about (by rule or by signal)."""
        return [
            finding
            for finding in view.findings
            if finding.rule in self.rules or set(finding.signals).intersection(self.signals)
        ]


class Variant(_Strict):
    when: When
    do: str | None = None
    say_to: str | None = None
    say: str | None = None


class Play(_Strict):
    kind: str
    short: str
    group: str
    when: When
    or_when: When | None = None
    do: str
    say_to: str
    say: str
    ask_rep: str
    variants: tuple[Variant, ...] = ()
    covers: tuple[str, ...] = ()
    alone: bool = False

    def applies(self, view: DealView) -> bool:
        return self.when.holds(view) or (self.or_when is not None and self.or_when.holds(view))

    def relevance(self, view: DealView) -> float:
        """The severity of the risks it answers; less when only `or_when` or gaps chose it."""
        found = self.when.findings(view) if self.when.holds(view) else []
        if found:
            return float(max(finding.severity for finding in found))
        if self.or_when is not None and self.or_when.holds(view):
            return ANSWER_RELEVANCE
        return GAP_RELEVANCE

    def worded(self, view: DealView) -> Variant:
        """do / say_to / say, with the first variant that holds applied."""
        chosen = next((variant for variant in self.variants if variant.when.holds(view)), None)
        return Variant(
            when=self.when,
            do=(chosen and chosen.do) or self.do,
            say_to=(chosen and chosen.say_to) or self.say_to,
            say=(chosen and chosen.say) or self.say,
        )


class PlayBook(_Strict):
    plays: dict[str, Play]
    find_out_kind: str
    find_out: str
    find_out_short: str
    find_out_say_to: str
    buyer_questions: dict[str, str]
    refresh_kind: str
    refresh: str
    refresh_short: str
    refresh_say: str


class PlaysError(Exception):
    """The plays file is unreadable or invalid; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Action:
    """One next best action: what to do, why, and the words to use with whom."""

    play: str
    kind: str
    do: Line
    say_to: Line
    say: Line
    short: Line
    why: Fact | None
    relevance: float


def load_plays(path: Path = PLAYS_FILE) -> PlayBook:
    raw: dict[str, Any] = read_yaml_mapping(path, "coach plays", PlaysError, "plays")
    try:
        return PlayBook.model_validate(raw)
    except ValidationError as exc:
        raise PlaysError(f"coach plays {path} are invalid: {exc}") from None


@cache
def default_plays() -> PlayBook:
    return load_plays()


def choose_actions(
    view: DealView,
    plays: PlayBook,
    wording: CoachWording,
    slots: dict[str, Slot],
    limit: int = 3,
) -> list[Action]:
    """Up to `limit` actions: the plays for the deal's risks first, then what is unknown,
    then (when nothing else applies) a refresh of what is out of date."""
    candidates = [(play_id, play) for play_id, play in plays.plays.items() if play.applies(view)]
    ranked = sorted(
        enumerate(candidates),
        key=lambda item: (not item[1][1].alone, -item[1][1].relevance(view), item[0]),
    )
    actions: list[Action] = []
    groups: set[str] = set()
    covered: set[str] = set()
    for _, (play_id, play) in ranked:
        if len(actions) >= limit or play.group in groups:
            continue
        if play.alone:
            limit = min(limit, 2)
        actions.append(_action(play_id, play, view, slots))
        groups.add(play.group)
        covered.update(play.covers)
    for gap in view.gaps:
        key = gap.spec.key
        if len(actions) >= limit:
            break
        if gap.status != "stale" and key not in covered and key in plays.buyer_questions:
            actions.append(_find_out(key, gap.spec.label, plays, slots))
            covered.add(key)
    stale = [gap.spec.label for gap in view.gaps if gap.status == "stale"]
    if len(actions) < limit and stale:
        actions.append(_refresh(stale, plays, wording, slots))
    return actions


def _action(play_id: str, play: Play, view: DealView, slots: dict[str, Slot]) -> Action:
    found = play.when.findings(view) if play.when.holds(view) else []
    why = view.cite(f"risk.{found[0].rule}.reason") if found else None
    values = dict(slots) | ({"reason": why} if why else {})
    worded = play.worded(view)
    try:
        return Action(
            play=play_id,
            kind=play.kind,
            do=fill(worded.do or "", values),
            say_to=fill(worded.say_to or "", values),
            say=fill(worded.say or "", values),
            short=fill(play.short, values),
            why=why,
            relevance=play.relevance(view),
        )
    except TemplateError as exc:
        raise CoachWordingError(f"play {play_id}: {exc}") from None


def _find_out(key: str, label: str, plays: PlayBook, slots: dict[str, Slot]) -> Action:
    return Action(
        play=f"find_out:{key}",
        kind=plays.find_out_kind,
        do=fill(plays.find_out, {"label": label}),
        say_to=fill(plays.find_out_say_to, slots),
        say=fill(plays.buyer_questions[key], slots),
        short=fill(plays.find_out_short, {"label": label}),
        why=None,
        relevance=GAP_RELEVANCE,
    )


def _refresh(
    labels: list[str], plays: PlayBook, wording: CoachWording, slots: dict[str, Slot]
) -> Action:
    listed = join([line(label) for label in labels], wording.text("list.separator"))
    return Action(
        play="refresh",
        kind=plays.refresh_kind,
        do=fill(plays.refresh, {"labels": listed}),
        say_to=fill(plays.find_out_say_to, slots),
        say=fill(plays.refresh_say, slots),
        short=fill(plays.refresh_short, slots),
        why=None,
        relevance=GAP_RELEVANCE,
    )


def ask_rep(play_id: str, plays: PlayBook, slots: dict[str, Slot]) -> Line | None:
    """The manager's 1:1 question behind a play (None for a "find out" action)."""
    play = plays.plays.get(play_id)
    return fill(play.ask_rep, slots) if play else None
