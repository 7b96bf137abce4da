"""Whose servers a process posts for: Discord's shard formula on the id, and the shards it adopts."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.shards import Shards, shard_of


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
