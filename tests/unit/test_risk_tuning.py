"""Feedback moves a rule's posting threshold per manager, then mutes it; 'useful' undoes it."""

from __future__ import annotations

import pytest

from coaching.risk.config import FeedbackTuning
from coaching.risk.tuning import posted, tune

SETTINGS = FeedbackTuning()  # 3 net "not useful" per step, muted at step 3


@pytest.mark.parametrize(
    ("not_useful", "useful", "min_severity", "muted"),
    [
        (0, 4, 1, False),
        (2, 0, 1, False),  # not yet a step
        (3, 0, 2, False),  # watch-level warnings of this rule no longer posted
        (6, 0, 3, False),  # urgent only
        (9, 0, 4, True),  # muted
        (12, 0, 4, True),
        (9, 3, 3, False),  # useful verdicts bring it back
        (9, 9, 1, False),
    ],
)
def test_net_not_useful_verdicts_raise_the_threshold_then_mute(
    not_useful: int, useful: int, min_severity: int, muted: bool
) -> None:
    verdicts = [("no_activity", "not_useful")] * not_useful + [("no_activity", "useful")] * useful
    tuned = tune([*verdicts, ("stalled", "handled")], SETTINGS)["no_activity"]
    assert (tuned.min_severity, tuned.muted) == (min_severity, muted)
    assert [posted("no_activity", s, {"no_activity": tuned}) for s in (1, 2, 3)] == [
        s >= min_severity for s in (1, 2, 3)
    ]


def test_handled_is_neutral_and_other_rules_are_untouched() -> None:
    tuned = tune([("stalled", "handled")] * 10 + [("ghosting", "not_useful")] * 9, SETTINGS)
    assert tuned["stalled"].min_severity == 1
    assert posted("optimism_gap", 1, tuned)
    assert not posted("ghosting", 3, tuned)


def test_the_step_size_and_the_mute_are_settings() -> None:
    quick = FeedbackTuning(verdicts_per_step=1, mute_at_step=1)
    assert tune([("stalled", "not_useful")], quick)["stalled"].muted
