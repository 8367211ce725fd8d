"""Teams settings: the local (Emulator) mode and the Bot Framework app types."""

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

TEAMS_SETTINGS = [
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "DEALCOACH_TEAMS_LOCAL",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in TEAMS_SETTINGS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_teams_runs_unauthenticated_only_when_asked_to(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not load_settings().teams_enabled
    monkeypatch.setenv("DEALCOACH_TEAMS_LOCAL", "true")
    settings = load_settings()
    assert settings.teams_enabled and settings.microsoft_app_id is None


@pytest.mark.parametrize(
    ("app_type", "expected"),
    [("multitenant", "MultiTenant"), ("SINGLETENANT", "SingleTenant")],
)
def test_app_types_are_read_in_any_case(
    monkeypatch: pytest.MonkeyPatch, app_type: str, expected: str
) -> None:
    monkeypatch.setenv("MicrosoftAppId", "id")
    monkeypatch.setenv("MicrosoftAppPassword", "pw")
    monkeypatch.setenv("MicrosoftAppTenantId", "tenant")
    monkeypatch.setenv("MicrosoftAppType", app_type)
    assert load_settings().microsoft_app_type == expected


def test_an_unknown_app_type_is_named_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppType", "Multi")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value) == (
        "MicrosoftAppType: use one of MultiTenant, SingleTenant, UserAssignedMSI (got 'Multi')"
    )


def test_a_managed_identity_needs_a_tenant_but_no_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MicrosoftAppId", "id")
    monkeypatch.setenv("MicrosoftAppType", "UserAssignedMSI")
    with pytest.raises(
        SettingsError, match="MicrosoftAppTenantId: required when MicrosoftAppType=UserAssignedMSI"
    ):
        load_settings()
    monkeypatch.setenv("MicrosoftAppTenantId", "tenant")
    assert load_settings().microsoft_app_password is None
