"""Settings from the environment and an optional `.env` file.

Every setting keeps the name users know from Slack, Bot Framework and OpenAI
documentation. `load_settings` turns any problem into one `SettingsError` line per
setting, naming it and saying what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from coaching.briefing.seller import load_seller_profile
from coaching.checkin_policy import CheckinRules
from coaching.evidence.lexicon import load_lexicon
from coaching.risk.config import load_risk_config
from coaching.schedule import WEEKDAYS, parse_days, parse_time

MICROSOFT_APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
SLACK_ID = re.compile(r"[TE][A-Z0-9]{1,20}")
FERNET_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.upper())


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and says what to do."""


class Settings(BaseSettings):
    """All runtime configuration. Nothing here connects to anything."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(Path("data"), validation_alias=_env("DEALCOACH_DATA_DIR"))
    database_url: str | None = Field(None, validation_alias=_env("DEALCOACH_DATABASE_URL"))
    host: str = Field("127.0.0.1", validation_alias=_env("DEALCOACH_HOST"))
    port: Annotated[int, Field(ge=0, le=65535)] = Field(
        3000, validation_alias=_env("DEALCOACH_PORT")
    )
    default_timezone: str = Field("UTC", validation_alias=_env("DEALCOACH_DEFAULT_TIMEZONE"))
    playbook_path: Path | None = Field(None, validation_alias=_env("DEALCOACH_PLAYBOOK"))
    log_level: str = Field("INFO", validation_alias=_env("DEALCOACH_LOG_LEVEL"))
    log_format: Literal["text", "json"] = Field(
        "text", validation_alias=_env("DEALCOACH_LOG_FORMAT")
    )
    tick_seconds: Annotated[float, Field(gt=0)] = Field(
        60, validation_alias=_env("DEALCOACH_TICK_SECONDS")
    )
    max_connections: Annotated[int, Field(ge=1, le=100_000)] = Field(
        500, validation_alias=_env("DEALCOACH_MAX_CONNECTIONS")
    )
    header_timeout: Annotated[float, Field(gt=0, le=300)] = Field(
        10, validation_alias=_env("DEALCOACH_HEADER_TIMEOUT")
    )
    retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        30, validation_alias=_env("DEALCOACH_RETENTION_DAYS")
    )

    checkin_days: str = Field("tue,thu", validation_alias=_env("DEALCOACH_CHECKIN_DAYS"))
    checkin_time: str = Field("09:30", validation_alias=_env("DEALCOACH_CHECKIN_TIME"))
    max_questions: Annotated[int, Field(ge=1, le=20)] = Field(
        5, validation_alias=_env("DEALCOACH_MAX_QUESTIONS")
    )
    reminder_after_hours: Annotated[float, Field(gt=0)] = Field(
        3, validation_alias=_env("DEALCOACH_REMINDER_AFTER_HOURS")
    )
    checkin_expires_hours: Annotated[float, Field(gt=0)] = Field(
        8, validation_alias=_env("DEALCOACH_CHECKIN_EXPIRES_HOURS")
    )

    slack_bot_token: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_signing_secret: str | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_api_url: str = Field("https://slack.com/api/", validation_alias=_env("SLACK_API_URL"))
    slack_client_id: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_ID"))
    slack_client_secret: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_SECRET"))

    microsoft_app_id: str | None = Field(None, validation_alias=_env("MicrosoftAppId"))
    microsoft_app_password: str | None = Field(None, validation_alias=_env("MicrosoftAppPassword"))
    microsoft_app_type: str = Field("MultiTenant", validation_alias=_env("MicrosoftAppType"))
    microsoft_app_tenant_id: str | None = Field(None, validation_alias=_env("MicrosoftAppTenantId"))
    teams_local: bool = Field(False, validation_alias=_env("DEALCOACH_TEAMS_LOCAL"))
    slack_workspaces: str = Field("", validation_alias=_env("DEALCOACH_SLACK_WORKSPACES"))
    teams_tenants: str = Field("", validation_alias=_env("DEALCOACH_TEAMS_TENANTS"))
    token_key: str | None = Field(None, validation_alias=_env("DEALCOACH_TOKEN_KEY"))

    risk_rules_path: Path | None = Field(None, validation_alias=_env("DEALCOACH_RISK_RULES"))
    signal_lexicon_path: Path | None = Field(
        None, validation_alias=_env("DEALCOACH_SIGNAL_LEXICON")
    )
    alert_budget: Annotated[int, Field(ge=0, le=100)] = Field(
        3, validation_alias=_env("DEALCOACH_ALERT_BUDGET")
    )
    alert_budget_week: Annotated[int, Field(ge=0, le=500)] = Field(
        5, validation_alias=_env("DEALCOACH_ALERT_BUDGET_WEEK")
    )
    risk_scan_minutes: Annotated[float, Field(gt=0)] = Field(
        60, validation_alias=_env("DEALCOACH_RISK_SCAN_MINUTES")
    )
    digest_day: str = Field("mon", validation_alias=_env("DEALCOACH_DIGEST_DAY"))
    digest_time: str = Field("08:00", validation_alias=_env("DEALCOACH_DIGEST_TIME"))

    openai_api_key: str | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    model: str = Field("gpt-4o-mini", validation_alias=_env("DEALCOACH_MODEL"))

    smtp_host: str | None = Field(None, validation_alias=_env("SMTP_HOST"))
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = Field(
        587, validation_alias=_env("SMTP_PORT")
    )
    smtp_username: str | None = Field(None, validation_alias=_env("SMTP_USERNAME"))
    smtp_password: str | None = Field(None, validation_alias=_env("SMTP_PASSWORD"))
    smtp_from: str | None = Field(None, validation_alias=_env("SMTP_FROM"))
    smtp_starttls: bool = Field(True, validation_alias=_env("SMTP_STARTTLS"))
    briefing_suggest_days: Annotated[int, Field(ge=1, le=90)] = Field(
        14, validation_alias=_env("DEALCOACH_BRIEFING_SUGGEST_DAYS")
    )
    seller_path: Path | None = Field(None, validation_alias=_env("DEALCOACH_SELLER"))

    @field_validator(
        "database_url",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "slack_client_id",
        "slack_client_secret",
        "microsoft_app_id",
        "microsoft_app_password",
        "microsoft_app_tenant_id",
        "openai_api_key",
        "openai_base_url",
        "smtp_host",
        "smtp_username",
        "smtp_password",
        "smtp_from",
        "token_key",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("use a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _real_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("use an IANA time zone such as Europe/Berlin") from None
        return value

    @field_validator("checkin_days")
    @classmethod
    def _days(cls, value: str) -> str:
        if not parse_days(value):
            raise ValueError("name at least one day, e.g. tue,thu")
        return value

    @field_validator("risk_rules_path")
    @classmethod
    def _risk_rules(cls, value: Path | None) -> Path | None:
        if value is not None:
            load_risk_config(value)  # RiskConfigError is a ValueError: one clear line
        return value

    @field_validator("signal_lexicon_path")
    @classmethod
    def _signal_lexicon(cls, value: Path | None) -> Path | None:
        if value is not None:
            load_lexicon(value)  # LexiconError is a ValueError: one clear line
        return value

    @field_validator("seller_path")
    @classmethod
    def _seller_profile(cls, value: Path | None) -> Path | None:
        if value is not None:
            load_seller_profile(value)  # SellerProfileError is a ValueError: one clear line
        return value

    @field_validator("digest_day")
    @classmethod
    def _one_day(cls, value: str) -> str:
        days = parse_days(value)
        if len(days) != 1:
            raise ValueError("name one day, e.g. mon")
        return WEEKDAYS[next(iter(days))]

    @field_validator("digest_time")
    @classmethod
    def _digest_time(cls, value: str) -> str:
        parse_time(value)
        return value

    @field_validator("checkin_time")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_time(value)
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb- (OAuth & Permissions page)")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp- (Basic Information page)")
        return value

    @field_validator("slack_workspaces")
    @classmethod
    def _slack_ids(cls, value: str) -> str:
        bad = [item for item in _items(value) if not SLACK_ID.fullmatch(item)]
        if bad:
            raise ValueError(
                f"list Slack team ids (T...) or Enterprise Grid ids (E...), comma-separated "
                f"(not {', '.join(bad)})"
            )
        return value

    @field_validator("token_key")
    @classmethod
    def _fernet_key(cls, value: str | None) -> str | None:
        if value is not None and not FERNET_KEY.fullmatch(value.strip()):
            raise ValueError(
                "use 32 url-safe base64 bytes (44 characters): create one with "
                "`dealcoach secrets new-key`"
            )
        return value.strip() if value else value

    @field_validator("microsoft_app_type")
    @classmethod
    def _known_app_type(cls, value: str) -> str:
        known = {name.lower(): name for name in MICROSOFT_APP_TYPES}
        if value.lower() not in known:
            raise ValueError(f"use one of {', '.join(MICROSOFT_APP_TYPES)}")
        return known[value.lower()]

    @model_validator(mode="after")
    def _complete_pairs(self) -> Settings:
        if self.slack_bot_token and not (self.slack_app_token or self.slack_signing_secret):
            raise ValueError(
                "SLACK_SIGNING_SECRET: required for Slack HTTP mode "
                "(or set SLACK_APP_TOKEN for Socket Mode)"
            )
        oauth = bool(self.slack_client_id and self.slack_client_secret)
        if (self.slack_app_token or self.slack_signing_secret) and not (
            self.slack_bot_token or oauth
        ):
            raise ValueError("SLACK_BOT_TOKEN: required when Slack is configured")
        managed_identity = self.microsoft_app_type == "UserAssignedMSI"
        if self.microsoft_app_id and not (self.microsoft_app_password or managed_identity):
            raise ValueError("MicrosoftAppPassword: required when MicrosoftAppId is set")
        if self.microsoft_app_type != "MultiTenant" and not self.microsoft_app_tenant_id:
            raise ValueError(
                f"MicrosoftAppTenantId: required when MicrosoftAppType={self.microsoft_app_type}"
            )
        return self

    @model_validator(mode="after")
    def _complete_smtp(self) -> Settings:
        if self.smtp_host and not self.smtp_from:
            raise ValueError("SMTP_FROM: required when SMTP_HOST is set (the sender address)")
        if self.smtp_from and "@" not in self.smtp_from:
            raise ValueError("SMTP_FROM: use an email address, e.g. dealcoach@example.com")
        if self.smtp_username and not self.smtp_password:
            raise ValueError("SMTP_PASSWORD: required when SMTP_USERNAME is set")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'dealcoach.sqlite3'}"

    @property
    def is_embedded_database(self) -> bool:
        """SQLite, the default file or any other: every command migrates it by itself."""
        scheme = self.resolved_database_url.partition(":")[0]
        return scheme.partition("+")[0] == "sqlite"

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token or (self.slack_client_id and self.slack_client_secret))

    @property
    def teams_enabled(self) -> bool:
        """Teams with an app id, or unauthenticated for the Emulator (`run --teams`)."""
        return bool(self.microsoft_app_id or self.teams_local)

    @property
    def slack_allowlist(self) -> frozenset[str]:
        """Slack workspaces (T...) and Enterprise Grid orgs (E...) that may install and talk
        to the bot (DEALCOACH_SLACK_WORKSPACES). Empty: with SLACK_BOT_TOKEN, its own
        workspace only; with the OAuth install flow, none."""
        return frozenset(_items(self.slack_workspaces))

    @property
    def teams_allowlist(self) -> frozenset[str]:
        """Teams tenants that may talk to the bot: DEALCOACH_TEAMS_TENANTS and
        MicrosoftAppTenantId. Empty: none, except in the local Emulator mode."""
        tenant = {self.microsoft_app_tenant_id} if self.microsoft_app_tenant_id else set()
        return frozenset(_items(self.teams_tenants)) | tenant

    @property
    def tick_every(self) -> dt.timedelta:
        """How often the scheduler looks for due work."""
        return dt.timedelta(seconds=self.tick_seconds)

    @property
    def retention(self) -> dt.timedelta:
        """How long processed event ids and sent messages are kept."""
        return dt.timedelta(days=self.retention_days)

    @property
    def checkin_rules(self) -> CheckinRules:
        return CheckinRules(
            days=self.checkin_days,
            at=self.checkin_time,
            max_questions=self.max_questions,
            reminder_after=dt.timedelta(hours=self.reminder_after_hours),
            expires_after=dt.timedelta(hours=self.checkin_expires_hours),
        )

    @property
    def model_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


_ENV_NAMES = {
    name: (
        field.validation_alias.choices[0]
        if isinstance(field.validation_alias, AliasChoices)
        else name
    )
    for name, field in Settings.model_fields.items()
}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or raise SettingsError with one line per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError("\n".join(_describe(error) for error in exc.errors())) from None


def _describe(error: ErrorDetails) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if not error["loc"]:
        return message
    field = str(error["loc"][0])
    name = _ENV_NAMES.get(field, field)
    received = error.get("input")
    secret = any(word in field.lower() for word in ("token", "secret", "password", "key"))
    shown = f" (got {received!r})" if isinstance(received, str | int) and not secret else ""
    return f"{name}: {message}{shown}"
