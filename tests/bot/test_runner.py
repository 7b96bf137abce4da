"""`photofinish run`: discord.py's defaults, and one clear line when Discord says no."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import discord
import pytest

from bot.app import open_bot
from bot.runner import run_bot
from bot.settings import Settings


def settings_with_token(settings: Settings) -> Settings:
    return Settings(
        _env_file=None,
        database_path=settings.database_path,
        discord_token="not-a-real-token",  # type: ignore[call-arg]
    )


async def test_the_bot_uses_discord_py_defaults_for_http(settings: Settings) -> None:
    async with open_bot(settings) as bot:
        assert bot.http.connector is discord.utils.MISSING or bot.http.connector is None
        assert bot.http.proxy is None
        assert bot.http.proxy_auth is None
        assert bot.intents.value == discord.Intents(guilds=True, guild_scheduled_events=True).value


async def test_a_rejected_token_exits_non_zero_with_one_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def refuse(self: Any, token: str) -> Any:
        raise discord.LoginFailure("Improper token has been passed.")

    # Stand in for Discord's answer at discord.py's HTTP boundary: no request leaves the machine.
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", refuse)
    with caplog.at_level(logging.ERROR):
        code = await run_bot(settings_with_token(settings))
    assert code == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "rejected the token" in errors[0].getMessage()
    assert errors[0].exc_info is None


async def test_an_unreachable_discord_exits_non_zero_with_one_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def unreachable(self: Any, token: str) -> Any:
        raise aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", unreachable)
    with caplog.at_level(logging.ERROR):
        code = await run_bot(settings_with_token(settings))
    assert code == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "Cannot reach Discord" in errors[0].getMessage()


async def test_no_token_is_a_clear_message(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        assert await run_bot(settings) == 2
    assert "DISCORD_TOKEN is not set" in caplog.text
