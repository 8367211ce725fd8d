"""The managers' settings: defaults, and one clear line per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults() -> None:
    settings = load_settings()
    assert (settings.alert_budget, settings.digest_day, settings.digest_time) == (3, "mon", "08:00")
    assert settings.risk_scan_minutes == 60 and settings.risk_rules_path is None


def test_a_digest_day_is_one_day() -> None:
    assert load_settings(digest_day="Friday").digest_day == "fri"
    with pytest.raises(SettingsError, match=r"DEALCOACH_DIGEST_DAY: name one day, e\.g\. mon"):
        load_settings(digest_day="mon,tue")
    with pytest.raises(SettingsError, match="DEALCOACH_DIGEST_DAY: unknown day 'someday'"):
        load_settings(digest_day="someday")


def test_a_bad_digest_time_or_budget() -> None:
    with pytest.raises(SettingsError, match="DEALCOACH_DIGEST_TIME: bad time '25:00'"):
        load_settings(digest_time="25:00")
    with pytest.raises(SettingsError, match="DEALCOACH_ALERT_BUDGET"):
        load_settings(alert_budget=-1)


def test_a_broken_risk_rules_file_is_named_at_start(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("stalled: {multiplier: -1}\n")
    with pytest.raises(SettingsError) as error:
        load_settings(risk_rules_path=rules)
    assert str(error.value).startswith(
        f"DEALCOACH_RISK_RULES: risk rules {rules} are invalid: stalled.multiplier: "
    )
    with pytest.raises(SettingsError, match="DEALCOACH_RISK_RULES: cannot read risk rules"):
        load_settings(risk_rules_path=tmp_path / "missing.yaml")
