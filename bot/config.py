"""Settings from the environment or a `.env` file (names fixed by INTERFACE.md).

A wrong value stops start-up with one line naming the variable, rather than a failure deep
inside a channel an hour later.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from campaign.accounts import PLATFORMS, parse_account_ref
from campaign.calendar import PROVINCE_PACKS, SECTOR_PACKS, pack_name
from campaign.inputs import read_int
from storage.outbox import MAX_LEASE, MIN_LEASE

LANGUAGES = ("vi", "en")
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,256}")
ASYNC_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
MIN_PER_SECOND = 1.0
MAX_PER_SECOND = 1000.0
"""Bounds of TELEGRAM_MAX_PER_SECOND: Telegram's paid broadcasts go up to 1,000 a second."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field("sqlite+aiosqlite:///thidua.db", alias="BOT_DATABASE_URL")
    timezone: str = Field("Asia/Ho_Chi_Minh", alias="BOT_TIMEZONE")
    language: str = Field("vi", alias="BOT_LANGUAGE")
    admins: Annotated[tuple[str, ...], NoDecode] = Field((), alias="BOT_ADMINS")
    telegram_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(None, alias="TELEGRAM_API_BASE_URL")
    telegram_max_per_second: float = Field(29.0, alias="TELEGRAM_MAX_PER_SECOND")
    """Messages per second for the whole bot (Telegram's published limit is 30; a local Bot API
    server or paid broadcasts allow more); 0 switches the pacing off."""
    zalo_token: SecretStr | None = Field(None, alias="ZALO_BOT_TOKEN")
    zalo_api_base_url: str | None = Field(None, alias="ZALO_API_BASE_URL")
    webhook_url: str | None = Field(None, alias="BOT_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, alias="BOT_WEBHOOK_SECRET")
    listen: str | None = Field(None, alias="BOT_LISTEN")
    public_url: str | None = Field(None, alias="BOT_PUBLIC_URL")
    reminder_max_late_hours: float = Field(6.0, alias="BOT_REMINDER_MAX_LATE_HOURS", ge=0)
    """A reminder missed while the bot was down goes out late unless older than this."""
    outbox_lease_seconds: float = Field(120.0, alias="BOT_OUTBOX_LEASE_SECONDS")
    """A message claimed by a dispatcher that died is taken again after this many seconds (a
    live one renews its claims); see storage/outbox.py."""
    event_notice_days: Annotated[tuple[int, ...], NoDecode] = Field(
        (7, 1), alias="BOT_EVENT_NOTICE_DAYS"
    )
    """How many days before each commemoration linked groups hear of it."""
    data_dir: Path = Field(Path("data"), alias="BOT_DATA_DIR")
    """Where the console writes the reports it receives (/baocao); made when first needed."""
    province: Annotated[tuple[str, ...], NoDecode] = Field((), alias="BOT_PROVINCE")
    sector: Annotated[tuple[str, ...], NoDecode] = Field((), alias="BOT_SECTOR")
    """Calendar packs (campaign.calendar): the provinces' and sectors' days shown besides the
    national ones."""

    @field_validator("database_url")
    @classmethod
    def _async_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"not a database URL: {value!r}") from None
        if url.drivername not in ASYNC_DRIVERS:
            raise ValueError(
                f"driver {url.drivername!r} is not supported; use one of {', '.join(ASYNC_DRIVERS)}"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; use vi or en")
        return value

    # The "before" validators get the raw value (a string from the environment, a list or a
    # tuple from load_settings' overrides), hence `Any`; pydantic checks what they return.
    @field_validator("admins", mode="before")
    @classmethod
    def _admin_accounts(cls, value: Any) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        items = value.split(",") if isinstance(value, str) else list(value)
        accounts = []
        for item in (str(i).strip() for i in items):
            if not item:
                continue
            parsed = parse_account_ref(item)
            if parsed is None:
                raise ValueError(
                    f"malformed entry {item!r}; expected <platform>:<user id> "
                    f"with platform one of {', '.join(PLATFORMS)}"
                )
            accounts.append(":".join(parsed))
        return tuple(accounts)

    @field_validator("outbox_lease_seconds")
    @classmethod
    def _sane_lease(cls, value: float) -> float:
        """A short lease lets a second dispatcher take, and send again, messages a live one
        is still sending; a lease of days leaves a dead process's messages waiting as long."""
        shortest, longest = MIN_LEASE.total_seconds(), MAX_LEASE.total_seconds()
        if not shortest <= value <= longest:
            raise ValueError(
                f"use {shortest:g} to {longest:g} seconds, not {value:g}: a shorter lease lets "
                "another dispatcher send again what this one is still sending"
            )
        return value

    @field_validator("telegram_max_per_second")
    @classmethod
    def _sane_pace(cls, value: float) -> float:
        """Telegram answers 429 past its limit, and every 429 stalls the whole bot; above
        MAX_PER_SECOND (paid broadcasts' ceiling) nothing would be gained."""
        if value != 0 and not MIN_PER_SECOND <= value <= MAX_PER_SECOND:
            raise ValueError(
                f"use 0 (no pacing) or {MIN_PER_SECOND:g} to {MAX_PER_SECOND:g} messages per "
                f"second, not {value:g} (Telegram's own limit is 30; more only with a local Bot "
                "API server or paid broadcasts)"
            )
        return value

    @field_validator("event_notice_days", mode="before")
    @classmethod
    def _notice_days(cls, value: Any) -> tuple[int, ...]:
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
            if not items or not all(read_int(v, 1, 60) is not None for v in items):
                raise ValueError(f"expected days like 7,1 (1 to 60), got {value!r}")
            return tuple(sorted({int(v) for v in items}, reverse=True))
        return tuple(value)

    @field_validator("province", "sector", mode="before")
    @classmethod
    def _calendar_packs(cls, value: Any, info: ValidationInfo) -> tuple[str, ...]:
        """Known pack names only: a typo would silently show no local days at all."""
        if value is None:
            return ()
        items = value.split(",") if isinstance(value, str) else list(value)
        table = PROVINCE_PACKS if info.field_name == "province" else SECTOR_PACKS
        names: list[str] = []
        for item in (str(i) for i in items):
            name = pack_name(item)
            if not name:
                continue
            if name not in table:
                raise ValueError(f"unknown pack {item.strip()!r}; use one of {', '.join(table)}")
            if name not in names:
                names.append(name)
        return tuple(names)

    @field_validator(
        "telegram_token",
        "zalo_token",
        "webhook_secret",
        "telegram_api_base_url",
        "zalo_api_base_url",
        "webhook_url",
        "listen",
        "public_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("data_dir", mode="before")
    @classmethod
    def _data_dir(cls, value: object) -> object:
        """An empty BOT_DATA_DIR (a blank line in .env) means the default, not the folder the
        bot happens to start in."""
        return Path("data") if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret")
    @classmethod
    def _platform_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram takes 1–256 of A–Z a–z 0–9 _ -; Zalo wants 8 to 256 characters."""
        if value is not None and not SECRET_PATTERN.fullmatch(value.get_secret_value()):
            raise ValueError("use 8 to 256 letters, digits, _ or - (the value is not shown)")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SettingsError(Exception):
    """Settings could not be read; the message is one line naming the variable."""


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning pydantic's report into one line per wrong variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        fields = {name: f.alias for name, f in Settings.model_fields.items()}
        lines = []
        for problem in error.errors():
            loc = str(problem["loc"][0]) if problem["loc"] else "?"
            name = fields.get(loc, loc)
            message = str(problem["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise SettingsError("; ".join(lines)) from None
