"""Managers' feedback moves each rule's posting threshold, per manager, or mutes it.

Each "not useful" verdict on a rule's warnings counts one against it, each "useful"
one for it ("handled" is neutral), over the manager's latest verdicts. Every
`verdicts_per_step` net "not useful" raise the rule's threshold one step: its warnings
reach the manager's channel only from severity 1 + step (step 1: no more "watch"
posts; step 2: urgent only). At `mute_at_step` the rule is muted for that manager:
nothing is posted, the digest still counts it. "Useful" verdicts bring it back down.
Warnings are still raised and listed (`warnings`, the digest): feedback changes what
interrupts the manager, not what is true.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from coaching.risk.config import FeedbackTuning


@dataclass(frozen=True, slots=True)
class RuleTuning:
    """Where one rule stands for one manager after their feedback."""

    rule: str
    useful: int
    not_useful: int
    step: int
    muted: bool

    @property
    def min_severity(self) -> int:
        """The lowest severity of this rule still posted (4: none, muted)."""
        return 4 if self.muted else 1 + self.step


def tune(verdicts: Iterable[tuple[str, str]], settings: FeedbackTuning) -> dict[str, RuleTuning]:
    """Each rule's tuning from (rule, verdict) pairs; rules without verdicts are absent."""
    counts: dict[str, Counter[str]] = {}
    for rule, verdict in verdicts:
        counts.setdefault(rule, Counter())[verdict] += 1
    tuned = {}
    for rule, tally in counts.items():
        net = tally["not_useful"] - tally["useful"]
        step = max(0, net) // settings.verdicts_per_step
        tuned[rule] = RuleTuning(
            rule,
            tally["useful"],
            tally["not_useful"],
            min(step, settings.mute_at_step),
            step >= settings.mute_at_step,
        )
    return tuned


def posted(rule: str, severity: int, tuning: dict[str, RuleTuning]) -> bool:
    """True when a warning of `rule` at `severity` may interrupt this manager."""
    tuned = tuning.get(rule)
    return tuned is None or severity >= tuned.min_severity
