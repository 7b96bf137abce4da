"""Settings and .env.example agree, and the token is a secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli_errors import settings_error
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_exactly_the_settings() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert listed == {name.upper() for name in Settings.model_fields}


def test_every_setting_in_env_example_has_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[index - 1].startswith("#"), line


def test_token_is_secret_and_blank_values_are_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def")
    monkeypatch.setenv("DEV_GUILD_ID", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "abc.def" not in repr(settings)
    assert settings.token == "abc.def"
    assert settings.dev_guild_id is None


def test_send_rate_above_discords_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEND_RATE", "60")
    with pytest.raises(ValueError, match=r"SEND_RATE|send_rate"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_feed_sync_is_on_by_default_only_when_connected_to_discord() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.feed_sync is None
    assert settings.feed_sync_enabled(connected=True) is True
    assert settings.feed_sync_enabled(connected=False) is False


@pytest.mark.parametrize(("value", "expected"), [("false", False), ("true", True), ("", None)])
def test_feed_sync_as_set_wins_over_the_default(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool | None
) -> None:
    monkeypatch.setenv("FEED_SYNC", value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.feed_sync is expected
    if expected is not None:
        assert settings.feed_sync_enabled(connected=not expected) is expected


@pytest.mark.parametrize(
    ("url", "database", "path"),
    [
        ("sqlite:///here.db", "here.db", "here.db"),
        ("sqlite:////srv/pf/photofinish.db", "/srv/pf/photofinish.db", "/srv/pf/photofinish.db"),
        ("postgresql://pf:secret@db.local:5432/pf", "postgresql://pf:secret@db.local:5432/pf", "photofinish.db"),
        ("postgres://pf@db.local/pf", "postgres://pf@db.local/pf", "photofinish.db"),
    ],
)
def test_database_url_names_the_backend(monkeypatch: pytest.MonkeyPatch, url: str, database: str, path: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.database, settings.database_path) == (database, path)
    assert "secret" not in settings.database_shown


def test_database_path_alone_is_the_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_PATH", "/tmp/old-style.db")
    assert Settings(_env_file=None).database == "/tmp/old-style.db"  # type: ignore[call-arg]


@pytest.mark.parametrize("url", ["mysql://u:secret@h/db", "sqlite://photofinish.db", "sqlite:///", "postgresql://"])
def test_a_bad_database_url_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None)  # type: ignore[call-arg]
    line = settings_error(raised.value)  # what the CLI prints at startup
    assert line.startswith("settings (environment or .env): DATABASE_URL: ") and "\n" not in line
    assert "secret" not in line
