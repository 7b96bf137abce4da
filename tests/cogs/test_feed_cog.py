"""The feed-sync cog: idle unless FEED_SYNC is on; a race turning official reaches `on_race_official` listeners."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from tests.conftest import World


def feed_cog(world: World) -> Any:
    # The extension loader imports cogs.feed afresh, so look the cog up by name, not by class.
    cog = world.bot.get_cog("Feed")
    assert cog is not None
    return cog


async def test_no_sync_runs_when_feed_sync_is_off(world: World) -> None:
    assert feed_cog(world).loop is None


async def test_official_race_is_dispatched_to_listeners(world: World) -> None:
    heard: list[int] = []

    async def on_race_official(race_id: int) -> None:
        heard.append(race_id)

    world.bot.add_listener(on_race_official)
    await feed_cog(world).race_official(42)
    await asyncio.sleep(0)
    assert heard == [42]


class TestConsoleWithATokenInDotEnv:
    """The console logs in with simcord's token, not DISCORD_TOKEN: FEED_SYNC's default stays off there."""

    @pytest.fixture
    def settings(self, db_path: Path) -> Settings:
        return Settings(_env_file=None, database_path=str(db_path), discord_token="a-real-looking-token")  # type: ignore[call-arg]

    async def test_no_sync_runs_in_the_console_even_with_a_token(self, world: World) -> None:
        assert world.bot.settings.token == "a-real-looking-token"
        assert world.bot.settings.feed_sync is None
        assert feed_cog(world).loop is None
