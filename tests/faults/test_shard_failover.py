"""SIGKILL one of two shard processes mid fan-out: the survivor adopts its shard and finishes it, one post per key.

Both run tests/faults/shard_child.py (the real AlertService and its leases, bot/cluster.py) on one database
(a SQLite file, then a PostgreSQL schema). Shard 1's process is killed while posting; once its shard
lease has expired, the survivor's next re-plan adopts shard 1: it resolves the dead process's claims
(found in the channel, or posted again with the same nonce) and posts the rest. Posting is REST, so no
gateway connection is needed for it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Callable

from bot.shards import shard_of
from db.storage.backend import open_db
from tests.faults.fake_discord import FakeDiscord, Posted
from tests.faults.fanout_world import ledger_states, now_epoch, spread_guild_ids, subscribe
from tests.faults.test_shard_processes import planned, replan, spawn

GUILDS = 120
TTL_S = 1.5
RATE = 40.0  # posts per second per process: a fan-out of 60 takes 1.5 s, time enough to be killed in it
KILL_AFTER = 20  # of shard 1's posts


async def test_a_survivor_adopts_a_killed_processs_shard_and_posts_each_key_once(shared_database: str) -> None:
    subscribed = await subscribe(shared_database, GUILDS, ids=spread_guild_ids(GUILDS))
    fake = FakeDiscord()
    await fake.start()
    wall_epoch = now_epoch()
    children: list[asyncio.subprocess.Process] = []
    try:
        children += [await spawn(shared_database, fake, wall_epoch, s, ttl_s=TTL_S, rate=RATE) for s in (0, 1)]
        survivor, victim = children
        fake.on_created = _kill_after(fake, victim.pid, KILL_AFTER)
        await planned(survivor)  # its own shard is done
        await asyncio.wait_for(victim.wait(), 20)
        assert victim.returncode == -signal.SIGKILL
        killed_at = time.monotonic()
        shard_one_before = _posted_to_shard(fake, 1)
        for _ in range(40):  # its 5-minute re-plans, sped up
            await replan(survivor)
            if len(fake.created()) >= GUILDS:
                break
            await asyncio.sleep(0.25)
        adopted_in = time.monotonic() - killed_at
        await asyncio.wait_for(survivor.communicate(b""), 20)
    finally:
        fake.on_created = None
        for child in children:
            if child.returncode is None:
                child.kill()
        await fake.stop()

    print(f"\nshard 1 had {shard_one_before}/{GUILDS // 2} when killed; all {GUILDS} posted {adopted_in:.1f} s later")
    assert KILL_AFTER <= shard_one_before < GUILDS // 2  # killed mid fan-out
    nonces = subscribed.nonces()
    created = Counter(nonces.get(m.nonce or "", "?") for m in fake.created())
    assert created == Counter(dict.fromkeys(subscribed.keys, 1))
    states = await ledger_states(shared_database, subscribed.keys)
    assert {state for state, _ in states.values()} == {"sent"}
    assert adopted_in < 15
    async with open_db(shared_database) as database:
        owners = Counter(
            (shard_of(int(guild), 2), owner.split("|")[1])
            for guild, owner in await database.fetch("SELECT guild_id, owner FROM deliveries")
        )
    survivor_pid, victim_pid = str(survivor.pid), str(victim.pid)
    assert owners[(0, survivor_pid)] == GUILDS // 2 and owners[(0, victim_pid)] == 0
    assert owners[(1, victim_pid)] >= KILL_AFTER - 1 and owners[(1, survivor_pid)] > 0  # adopted and finished


def _posted_to_shard(fake: FakeDiscord, shard: int) -> int:
    return sum(1 for m in fake.created() if shard_of(m.channel_id - 1, 2) == shard)


def _kill_after(fake: FakeDiscord, pid: int, posts: int) -> Callable[[Posted], None]:
    def kill(message: Posted) -> None:
        if shard_of(message.channel_id - 1, 2) == 1 and _posted_to_shard(fake, 1) >= posts:
            fake.on_created = None
            os.kill(pid, signal.SIGKILL)

    return kill
