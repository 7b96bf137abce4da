"""Whose servers a process posts for: Discord's shard formula on the id, and the shards it adopts."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.ext import commands
from pydantic import ValidationError

from bot.app import open_bot
from bot.bot import PhotoFinish, ShardedPhotoFinish, bot_for
from bot.cluster import Cluster
from bot.settings import Settings
from bot.shards import Shards, shard_of
from db.repos.leases import LeaseStore
from db.storage.database import Database
from db.store import Store


def guild_on(shard: int, count: int, n: int = 0) -> int:
    return ((n * count + shard) << 22) | 12345


def test_the_shard_is_the_guild_ids_timestamp_part_modulo_the_count() -> None:
    assert shard_of(guild_on(1, 2), 2) == 1
    assert shard_of(guild_on(3, 4, n=7), 4) == 3
    assert shard_of(175928847299117063, 16) == (175928847299117063 >> 22) % 16  # Discord's documented example


def test_without_shard_settings_every_server_is_ours() -> None:
    shards = Shards.of(Settings(_env_file=None))  # type: ignore[call-arg]
    assert shards.count == 1 and shards.held == {0} and shards.share() == 1.0
    assert all(shards.is_ours(guild_on(s, 5, n)) for s in range(5) for n in range(3))


def test_a_process_owns_its_shard_ids_and_can_adopt_and_give_back_others() -> None:
    shards = Shards.of(Settings(_env_file=None, shard_count=4, shard_ids=[1]))  # type: ignore[call-arg]
    assert [shards.is_ours(guild_on(s, 4)) for s in range(4)] == [False, True, False, False]
    assert shards.share() == 0.25

    assert shards.adopt([3, 1]) is True and shards.held == {1, 3}
    assert shards.adopt([3]) is False
    assert shards.is_ours(guild_on(3, 4)) and shards.share() == 0.25  # adopting posts more, paces the same
    assert shards.adopt([]) is True and shards.held == {1}


def test_shard_ids_outside_the_count_are_refused() -> None:
    with pytest.raises(ValueError, match="0 to 1"):
        Shards(2, [2])


def configured(**shards: object) -> Settings:
    return Settings(_env_file=None, **shards)  # type: ignore[arg-type]


async def test_without_shard_count_the_bot_is_one_plain_connection(blank_db: Database) -> None:
    bot = bot_for(configured(), store=Store(blank_db))
    assert type(bot) is PhotoFinish and (bot.shard_count, bot.shard_id) == (None, None)
    one = bot_for(configured(shard_count=2, shard_ids=[1]), store=Store(blank_db))
    assert type(one) is PhotoFinish and (one.shard_count, one.shard_id) == (2, 1)


async def test_several_shard_ids_make_one_auto_sharded_bot_for_just_those(blank_db: Database) -> None:
    bot = bot_for(configured(shard_count=4, shard_ids=[1, 3]), store=Store(blank_db))
    assert isinstance(bot, commands.AutoShardedBot) and isinstance(bot, PhotoFinish)
    assert (bot.shard_count, bot.shard_ids) == (4, [1, 3])
    assert type(bot).connect is discord.AutoShardedClient.connect  # discord.py launches the shards
    assert bot.our_shards.held == {1, 3} and bot.our_shards.share() == 0.5
    every = bot_for(configured(shard_count=2), store=Store(blank_db))
    assert isinstance(every, commands.AutoShardedBot) and every.our_shards.held == {0, 1}


@pytest.mark.parametrize(
    ("shards", "message"),
    [
        ({"shard_ids": [0]}, "needs SHARD_COUNT"),
        ({"shard_count": 2, "shard_ids": [0, 0]}, "once"),
        ({"shard_count": 2, "shard_ids": [2]}, "0 to SHARD_COUNT - 1"),
    ],
)
def test_shard_settings_that_cannot_work_are_refused(shards: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        configured(**shards)


def test_shard_ids_come_from_the_environment_as_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "[2,3]")
    assert Shards.of(Settings(_env_file=None)).held == {2, 3}  # type: ignore[call-arg]


async def test_auto_takes_its_shards_before_connecting_and_paces_at_their_share(
    blank_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "auto")
    monkeypatch.setenv("SHARDS_PER_PROCESS", "2")
    auto = Settings(_env_file=None)  # type: ignore[call-arg]
    bot = ShardedPhotoFinish(settings=auto, store=Store(blank_db), extensions=(), sync_policy="never")
    assert bot.shard_ids is None and bot.our_shards.own == set()
    assert bot.rest_gate.interval == pytest.approx(4 * 1.1 / 50)  # a standby: one shard's share meanwhile

    await bot.setup_hook()
    try:
        assert bot.shard_ids == [0, 1] and bot.our_shards.held == {0, 1} and bot.cluster.running
        assert bot.rest_gate.interval == pytest.approx(2 * 1.1 / 50)
        leases = await LeaseStore(blank_db).named(prefix="shard:")
        assert {name: lease.owner for name, lease in leases.items()} == dict.fromkeys(
            ("shard:0", "shard:1"), bot.cluster.process
        )
    finally:
        await bot.cluster.stop()
    assert await LeaseStore(blank_db).named(prefix="shard:") == {}  # a clean stop gives them back


async def test_a_shared_rate_limit_proxy_takes_every_rest_request(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored after the test
    proxied = settings.model_copy(update={"discord_api_base": "http://nirn-proxy:8080/api/v10/"})
    async with open_bot(proxied):
        assert discord.http.Route("GET", "/gateway/bot").url == "http://nirn-proxy:8080/api/v10/gateway/bot"


async def test_processes_identify_in_turn_per_max_concurrency_bucket(
    blank_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = (bot_for(configured(shard_count=2, shard_ids=[n]), store=Store(blank_db)) for n in (0, 1))
    second.cluster = Cluster(LeaseStore(blank_db), second.our_shards, second.clock, process="other|1|1")
    asked = []

    async def gateway() -> tuple[int, str, dict[str, int]]:
        asked.append(1)
        return 2, "wss://gateway.example", {"max_concurrency": 1}

    for bot in (first, second):
        monkeypatch.setattr(bot.http, "get_bot_gateway", gateway)
        await bot.cluster.start()
    try:
        await asyncio.wait_for(first.before_identify_hook(0, initial=True), 1)
        waiting = asyncio.create_task(second.before_identify_hook(1, initial=True))
        await asyncio.sleep(0.2)
        assert not waiting.done()  # the one bucket is taken for IDENTIFY_SPACING
        waiting.cancel()
        assert asked == [1, 1]  # each process asks Discord once
    finally:
        for bot in (first, second):
            await bot.cluster.stop()
