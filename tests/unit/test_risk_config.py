"""The rules and wording files: shipped defaults, clear errors, every text fillable."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from coaching.risk import RULES, RiskConfigError, load_risk_config, load_wording
from coaching.risk.rules import CHAMPION_TESTS


def test_the_shipped_defaults_are_the_issues() -> None:
    config = load_risk_config()
    assert (config.stalled.multiplier, config.stalled.fallback_days) == (1.5, 30)
    assert config.no_activity.days == 14
    assert config.close_date_slipping.pushes == 2
    assert config.no_power.max_exposure == 2 and config.no_power.groups == ("late",)


def test_a_team_file_overrides_some_numbers(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("no_activity:\n  days: 10\n  stages:\n    Negotiation: {days: 5}\n")
    config = load_risk_config(path)
    assert config.no_activity.days == 10
    assert config.no_activity.at("Negotiation", "late").days == 5
    assert config.stalled.fallback_days == 30


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("stalled: {fallback_days: 0}", "stalled.fallback_days: Input should be greater"),
        ("stalled: {fallbak_days: 3}", "stalled.fallbak_days: Extra inputs are not permitted"),
        ("no_activity:\n  stages: {Demo: {multiplier: 3}}", "'multiplier' cannot vary by stage"),
        ("nonsense_rule: {}", "nonsense_rule: Extra inputs"),
        ("- a list", "must be a mapping"),
    ],
)
def test_a_broken_file_says_where_and_why(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(content)
    with pytest.raises(RiskConfigError, match="risk rules") as error:
        load_risk_config(path)
    assert message in str(error.value)


def test_every_rule_has_wording_and_every_signal_phrase_names_known_facts() -> None:
    wording = load_wording()
    assert set(RULES) <= set(wording.rules)
    assert set(CHAMPION_TESTS) == set(wording.champion_tests)
    for signal in wording.signals.values():
        names = {name for _, name, _, _ in string.Formatter().parse(signal.text) if name}
        assert names <= {
            "stage", "owner", "deal", "days", "median", "samples", "limit", "since", "close",
            "pushes", "path", "count", "options", "previous", "current", "champion", "tests",
            "person", "exposure", "phase", "need", "decision", "year", "money", "buyer",
                "chased", "cites", "first", "now", "group", "said", "named", "date", "step",
                "old", "new", "on",
        }, signal.text  # fmt: skip
