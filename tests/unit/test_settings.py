from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ALL_SETTINGS = [
    "DEALCOACH_DATABASE_URL",
    "DEALCOACH_PORT",
    "DEALCOACH_HOST",
    "DEALCOACH_DEFAULT_TIMEZONE",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ALL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_are_the_embedded_console_setup() -> None:
    settings = load_settings()
    assert settings.resolved_database_url == "sqlite:///data/dealcoach.sqlite3"
    assert settings.is_embedded_database
    assert (settings.host, settings.port) == ("127.0.0.1", 3000)
    assert not settings.slack_enabled
    assert not settings.teams_enabled
    assert not settings.model_enabled


def test_environment_names_are_the_ones_users_know(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALCOACH_DATABASE_URL", "postgresql+psycopg://db/x")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("MicrosoftAppId", "app-id")
    monkeypatch.setenv("MicrosoftAppPassword", "pw")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8/v1")
    monkeypatch.setenv("DEALCOACH_MODEL", "local-model")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://db/x"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.microsoft_app_id == "app-id"
    assert settings.model == "local-model"
    assert settings.slack_enabled and settings.teams_enabled and settings.model_enabled


def test_processed_events_and_sent_messages_are_kept_30_days_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().retention.days == 30
    monkeypatch.setenv("DEALCOACH_RETENTION_DAYS", "7")
    assert load_settings().retention.days == 7


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEALCOACH_PORT=4100\nOPENAI_API_KEY=sk-test\n")
    settings = load_settings()
    assert settings.port == 4100
    assert settings.openai_api_key == "sk-test"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DEALCOACH_PORT", "abc", "DEALCOACH_PORT: Input should be a valid integer"),
        ("DEALCOACH_PORT", "70000", "DEALCOACH_PORT: Input should be less than or equal to 65535"),
        ("DEALCOACH_DATABASE_URL", "mysql://x", "DEALCOACH_DATABASE_URL: use a sqlite:///"),
        ("DEALCOACH_DEFAULT_TIMEZONE", "Mars/Base", "DEALCOACH_DEFAULT_TIMEZONE: use an IANA"),
        ("SLACK_BOT_TOKEN", "xoxp-user", "SLACK_BOT_TOKEN: a bot token starts with xoxb-"),
        (
            "DEALCOACH_RETENTION_DAYS",
            "0",
            "DEALCOACH_RETENTION_DAYS: Input should be greater than or equal to 1 (got '0')",
        ),
        ("DEALCOACH_RETENTION_DAYS", "a month", "DEALCOACH_RETENTION_DAYS: Input should be a"),
    ],
)
def test_malformed_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value).startswith(expected)
    assert len(str(error.value).splitlines()) == 1


def test_secret_values_are_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "very-secret" not in str(error.value)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET: required for Slack HTTP mode"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN: required"),
        ({"MicrosoftAppId": "id"}, "MicrosoftAppPassword: required"),
        (
            {
                "MicrosoftAppId": "id",
                "MicrosoftAppPassword": "p",
                "MicrosoftAppType": "SingleTenant",
            },
            "MicrosoftAppTenantId: required",
        ),
    ],
)
def test_missing_companion_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=expected):
        load_settings()


def test_socket_mode_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings().slack_app_token == "xapp-1"


def test_any_sqlite_database_is_embedded_and_postgresql_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEALCOACH_DATABASE_URL", "sqlite:////srv/dealcoach/deals.sqlite3")
    assert load_settings().is_embedded_database
    monkeypatch.setenv("DEALCOACH_DATABASE_URL", "postgresql+psycopg://bot@db/dealcoach")
    assert not load_settings().is_embedded_database


def test_blank_values_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "  ")
    monkeypatch.setenv("DEALCOACH_DATABASE_URL", "")
    settings = load_settings()
    assert not settings.slack_enabled
    assert settings.is_embedded_database
