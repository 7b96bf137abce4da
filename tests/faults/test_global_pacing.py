"""Never over Discord's 50 requests/s: a fan-out through real discord.py under a global 429, 5xx and a restart.

The bot is a child process (tests/faults/paced_child.py: PhotoFinish with its RestGate, the real
AlertService on the real SQLite file); the fake Discord in this process counts every request by the
1-second window it arrives in and refuses anything over 50 with a global 429, as Discord does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.faults.fake_discord import FakeDiscord, Fault, Posted
from tests.faults.fanout_world import (
    ledger_states,
    messages_per_channel,
    now_epoch,
    posts_per_key,
    spread_guild_ids,
    subscribe,
)
from tests.faults.paced_world import DISCORD_LIMIT, enforcing_fake, on_posts, run_paced, spawn_paced, traffic

GUILDS = 400


async def test_a_global_429_mid_fan_out_is_waited_out_then_paced_without_a_burst(db_path: Path) -> None:
    subscribed = await subscribe(db_path, GUILDS)
    fake = enforcing_fake(on_posts({150: Fault(429, retry_after=1.0)}))
    await fake.start()
    try:
        result = await run_paced(db_path, fake, now_epoch(), "gate", limit_s=60)
    finally:
        await fake.stop()

    hit = next(a.at for a in fake.arrivals if a.status == 429)
    after = traffic(fake, since=hit)
    print(f"\nwhole run: {traffic(fake).line()}\nafter the 429: {after.line()}\n{result}")
    assert fake.injected[429] == 1 and result["gate"]["global_429"] == 1
    assert traffic(fake).over_limit == 0 and traffic(fake).max_per_window <= DISCORD_LIMIT
    assert after.max_any_second <= DISCORD_LIMIT  # resumed at the paced rate, not in a burst
    # Requests already on their way when the 429 came back arrive within milliseconds; nothing new leaves.
    paused = [a for a in fake.arrivals if hit + 0.3 < a.at < hit + 0.9]
    assert paused == []
    assert set(messages_per_channel(fake).values()) == {1}
    assert len(fake.created()) == GUILDS
    states = await ledger_states(db_path, subscribed.keys)
    assert {state for state, _ in states.values()} == {"sent"}


async def test_5xx_answers_even_after_the_post_was_created_leave_one_message_per_channel(db_path: Path) -> None:
    subscribed = await subscribe(db_path, GUILDS)
    faults = {
        40: Fault(500),
        90: Fault(502, after_create=True),  # Discord stored the message; the bot hears 502 and retries
        91: Fault(502, after_create=True),
        140: Fault(503),  # discord.py gives up on a 503 at once; the sender retries it
        200: Fault(502),
        260: Fault(500, after_create=True),
    }
    fake = enforcing_fake(on_posts(faults))
    await fake.start()
    try:
        result = await run_paced(db_path, fake, now_epoch(), "gate", limit_s=60)
    finally:
        await fake.stop()

    seen = traffic(fake)
    print(f"\n{seen.line()}\n{result}")
    assert sum(fake.injected.values()) == len(faults)
    assert seen.over_limit == 0 and seen.max_per_window <= DISCORD_LIMIT
    created, raw = posts_per_key(fake, subscribed)
    assert created == Counter(dict.fromkeys(subscribed.keys, 1))
    assert sum(raw.values()) > GUILDS  # the retries did happen, and were deduplicated by the nonce
    states = await ledger_states(db_path, subscribed.keys)
    by_nonce = {m.nonce: m.id for m in fake.created()}
    assert all(states[key] == ("sent", by_nonce[nonce]) for nonce, key in subscribed.nonces().items())


async def test_a_restart_mid_fan_out_reads_history_and_posts_within_the_limit(db_path: Path) -> None:
    guilds = 300
    subscribed = await subscribe(db_path, guilds)
    fake = enforcing_fake()
    await fake.start()
    wall_epoch = now_epoch()
    try:
        child = await spawn_paced(db_path, fake, wall_epoch, "gate")
        fake.on_created = _kill_at(fake, child.pid, created=100)
        await asyncio.wait_for(child.wait(), 60)
        assert child.returncode == -signal.SIGKILL
        fake.on_created = None
        restarted = time.monotonic()
        result = await run_paced(db_path, fake, wall_epoch, "gate", limit_s=60)
    finally:
        await fake.stop()

    restart = traffic(fake, since=restarted)
    print(f"\nrestart: {restart.line()}\n{result}")
    assert restart.by_route.get("GET /channels/{id}/messages", 0) > 0  # stale claims were checked in the channel
    assert restart.over_limit == 0 and restart.max_per_window <= DISCORD_LIMIT
    assert restart.max_any_second <= DISCORD_LIMIT
    assert set(messages_per_channel(fake).values()) == {1}
    assert len(fake.created()) == guilds
    states = await ledger_states(db_path, subscribed.keys)
    assert {state for state, _ in states.values()} == {"sent"}


def _kill_at(fake: FakeDiscord, pid: int, *, created: int) -> Callable[[Posted], None]:
    def kill(_message: Posted) -> None:
        if len(fake.created()) >= created:
            os.kill(pid, signal.SIGKILL)

    return kill


async def test_two_shard_processes_together_stay_within_50_per_window(db_path: Path) -> None:
    """SHARD_COUNT=2, SHARD_IDS=[0] and [1] at once: each paces at half the budget, so both stay under it."""
    guilds = 200
    subscribed = await subscribe(db_path, guilds, ids=spread_guild_ids(guilds))
    fake = enforcing_fake()
    await fake.start()
    wall_epoch = now_epoch()
    try:
        results = await asyncio.gather(
            *(run_paced(db_path, fake, wall_epoch, "gate", limit_s=60, shards=(2, str(s))) for s in (0, 1))
        )
    finally:
        await fake.stop()

    seen = traffic(fake)
    print(f"\ntwo processes: {seen.line()}\n{results}")
    assert seen.over_limit == 0 and seen.max_per_window <= DISCORD_LIMIT
    assert [r["guilds"] for r in results] == [guilds, guilds]  # each sees every guild, posts for its half
    assert [r["gate"]["sent"] > 0 for r in results] == [True, True]
    created, raw = posts_per_key(fake, subscribed)
    assert created == Counter(dict.fromkeys(subscribed.keys, 1)) and raw == created
