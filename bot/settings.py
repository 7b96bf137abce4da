"""Settings from the environment and .env, read once at startup and passed down."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from db.storage.backend import parse_location

DEFAULT_FEED_BASE_URL = "https://cf.nascar.com"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = Field(default=None, description="Bot token from the Developer Portal")
    # DATABASE_URL picks the backend (sqlite:///file.db or postgresql://…); DATABASE_PATH, the older setting,
    # still names the SQLite file when DATABASE_URL is not set.
    database_url: str | None = Field(default=None, description="sqlite:///photofinish.db or postgresql://…")
    database_path: str = Field(default="photofinish.db", description="SQLite file (created on first run)")
    dev_guild_id: int | None = Field(default=None, description="Sync commands to this guild only (testing)")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    feed_base_url: str = DEFAULT_FEED_BASE_URL
    # None: on when connected to Discord with DISCORD_TOKEN, off in the console and tests (feed_sync_enabled).
    feed_sync: bool | None = Field(default=None, description="Keep schedule and results fresh from the feed")
    # Every REST request but interaction answers is paced by bot/pacing.py: REST_RATE in total (with a
    # safety margin), background work (fan-out, syncs) at most SEND_RATE of it, the rest kept for commands.
    rest_rate: float = Field(default=50.0, gt=0, le=50, description="REST requests per second in total")
    send_rate: float = Field(default=40.0, gt=0, le=50, description="REST requests per second for background work")
    # Several processes (README "Running several processes"): SHARD_COUNT shards in all, SHARD_IDS those this
    # process connects (a JSON list, e.g. [0,1]; unset with SHARD_COUNT: all of them; `auto`: up to
    # SHARDS_PER_PROCESS free ones, waiting as a hot standby while none is free). Unset: one connection.
    # Discord's REST API through a shared rate-limit proxy (nirn-proxy) instead of discord.com itself.
    discord_api_base: str | None = Field(default=None, description="e.g. http://nirn-proxy:8080/api/v10")
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: list[int] | Literal["auto"] | None = None
    shards_per_process: int = Field(default=1, ge=1, description="With SHARD_IDS=auto: how many to take")

    @field_validator(
        "discord_token",
        "database_url",
        "dev_guild_id",
        "discord_api_base",
        "shard_count",
        "shard_ids",
        "feed_sync",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, value: str | None) -> str | None:
        if value is not None:
            parse_location(value)  # its ValueError is the one line the user reads
        return value

    @model_validator(mode="after")
    def _sqlite_url_names_the_file(self) -> Settings:
        # Code that handles the SQLite file itself (backups, lock holders) keeps reading database_path.
        if self.database_url is not None and (where := parse_location(self.database_url)).dialect == "sqlite":
            self.database_path = where.target
        return self

    @property
    def database(self) -> str:
        """What open_db opens: the PostgreSQL URL, or the SQLite file (DATABASE_URL's or DATABASE_PATH)."""
        if self.database_url is not None and parse_location(self.database_url).dialect == "postgres":
            return self.database_url
        return self.database_path

    @property
    def database_shown(self) -> str:
        """The database as messages name it: the file, or the URL without its password."""
        return str(parse_location(self.database))

    @model_validator(mode="after")
    def _shards_within_count(self) -> Settings:
        if self.shard_ids is None:
            return self
        if self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT, the number of shards in all processes together")
        if self.shard_ids == "auto":
            return self
        if not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError("SHARD_IDS lists each shard this process runs once, e.g. [0,1]")
        if not all(0 <= shard < self.shard_count for shard in self.shard_ids):
            raise ValueError(f"SHARD_IDS run from 0 to SHARD_COUNT - 1 ({self.shard_count - 1})")
        return self

    @property
    def token(self) -> str | None:
        return self.discord_token.get_secret_value() if self.discord_token else None

    def feed_sync_enabled(self, *, connected: bool) -> bool:
        """FEED_SYNC as set, or by default on exactly when the bot is connected to Discord."""
        return connected if self.feed_sync is None else self.feed_sync
