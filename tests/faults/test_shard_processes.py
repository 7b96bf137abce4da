"""Two bot processes with disjoint shards on one database: every server gets each alert exactly once.

Issue 17's bug: the race watch is shared, and the first process to see a moved start recorded it for
everyone, so the other shard's servers never heard of the move. Here shard 0 and shard 1 each run in
their own process (tests/faults/shard_child.py) on one database (a SQLite file, then a PostgreSQL schema),
posting over HTTP to the fake Discord in this process; the test moves a race and makes one official while
both run and re-plan.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.alerts.planner import delivery_key, delivery_nonce
from bot.shards import shard_of
from db.models.alerts import Lead
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fake_discord import FakeDiscord
from tests.faults.fanout_world import (
    DARLINGTON_START,
    FIRE_AT,
    LEAD_MIN,
    REPO,
    ledger_states,
    now_epoch,
    spread_guild_ids,
)

GUILDS = 40
SHARDS = 2
ALL_STAR = "NASCAR All-Star Race"
MOVED_BY = dt.timedelta(hours=1)


async def prepare(db: str | Path) -> dict[str, tuple[str, int]]:
    """Subscriptions to all three kinds; Darlington not yet official. Expected key -> (kind, guild)."""
    async with open_db(db) as database:
        store = Store(database)
        await database.execute("UPDATE races SET status = 'scheduled' WHERE name = 'Goodyear 400' AND season = 2024")
        races = await store.schedule.races_starting_between(
            start=FIRE_AT - dt.timedelta(days=1), end=FIRE_AT + dt.timedelta(days=8)
        )
        darlington = next(r for r in races if r.start_utc == DARLINGTON_START)
        all_star = next(r for r in races if r.name == ALL_STAR)
        assert all_star.start_utc is not None
        expected = {}
        for guild in spread_guild_ids(GUILDS):
            await store.alerts.save_subscription(
                guild_id=guild,
                series="cup",
                channel_id=guild + 1,
                role_id=None,
                leads=[Lead(LEAD_MIN)],
                kinds=["reminder", "results", "changes"],
                now=FIRE_AT - dt.timedelta(days=1),
            )
            lead = Lead(LEAD_MIN)
            expected[delivery_key("reminder", darlington.id, DARLINGTON_START, guild, guild + 1, lead)] = (
                "reminder",
                guild,
            )
            moved = all_star.start_utc + MOVED_BY
            expected[delivery_key("changes", all_star.id, moved, guild, guild + 1, None)] = ("changes", guild)
            expected[delivery_key("results", darlington.id, DARLINGTON_START, guild, guild + 1, None)] = (
                "results",
                guild,
            )
        return expected


async def move_and_finish(db: str | Path, now: dt.datetime) -> None:
    """What a feed sync in any one process writes: the All-Star start moved, Darlington official."""
    async with open_db(db) as database:
        store = Store(database)
        race = next(
            r
            for r in await store.schedule.races_starting_between(start=now, end=now + dt.timedelta(days=8))
            if r.name == ALL_STAR
        )
        assert race.start_utc is not None
        await store.schedule.set_race_start(race_id=race.id, start_utc=race.start_utc + MOVED_BY, now=now)
        await database.execute("UPDATE races SET status = 'official' WHERE name = 'Goodyear 400' AND season = 2024")


async def spawn(
    db: str | Path, fake: FakeDiscord, wall_epoch: float, shard: int, *, ttl_s: float = 30.0, rate: float = 200.0
) -> asyncio.subprocess.Process:
    """A process for one shard; it runs until its stdin is closed (communicate(b"") does)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.faults.shard_child",
        str(db),
        fake.url,
        repr(wall_epoch),
        FIRE_AT.isoformat(),
        str(SHARDS),
        str(shard),
        str(ttl_s),
        str(rate),
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def replan(child: asyncio.subprocess.Process) -> None:
    """One periodic re-plan of that process, to the end of the batches it started."""
    assert child.stdin is not None and child.stdout is not None
    if child.stdin.is_closing():
        return
    child.stdin.write(b"replan\n")
    await child.stdin.drain()
    await planned(child)


async def planned(child: asyncio.subprocess.Process) -> None:
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), 20)
    assert line == b"planned\n", line


@pytest.mark.parametrize("first", [0, 1])
async def test_two_processes_with_disjoint_shards_post_every_alert_to_every_server_once(
    shared_database: str, first: int
) -> None:
    expected = await prepare(shared_database)
    nonces = {delivery_nonce(key): key for key in expected}
    fake = FakeDiscord()
    await fake.start()
    wall_epoch = now_epoch()
    children: list[asyncio.subprocess.Process] = []
    try:
        children += [await spawn(shared_database, fake, wall_epoch, shard) for shard in range(SHARDS)]
        for child in children:
            await planned(child)  # started: the reminders due now are out
        await move_and_finish(shared_database, FIRE_AT + dt.timedelta(seconds=time.time() - wall_epoch))
        # Whichever process looks first must not use the news up for the other's servers; then both look again.
        for child in (children[first], children[1 - first], *children):
            await replan(child)
        results = await asyncio.wait_for(asyncio.gather(*(c.communicate(b"") for c in children)), 30)
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
        await fake.stop()

    assert [c.returncode for c in children] == [0, 0], [err.decode()[-2000:] for _, err in results]
    created = Counter(nonces.get(m.nonce or "", "?") for m in fake.created())
    raw = Counter(nonces.get(p.nonce or "", "?") for p in fake.raw_posts)
    per_shard = Counter((expected[key][0], shard_of(expected[key][1], SHARDS)) for key in created if key in expected)
    assert per_shard == {(kind, s): GUILDS // SHARDS for kind in ("reminder", "changes", "results") for s in (0, 1)}
    assert created == Counter(dict.fromkeys(expected, 1)) and raw == created
    # Each shard's servers were posted to by that shard's process only.
    states = await ledger_states(shared_database, expected)
    assert {state for state, _ in states.values()} == {"sent"}
    async with open_db(shared_database) as database:
        rows = await database.fetch("SELECT guild_id, owner FROM deliveries")
    pids = {shard_of(int(guild), SHARDS): set() for guild, _ in rows}  # type: dict[int, set[str]]
    for guild, owner in rows:
        pids[shard_of(int(guild), SHARDS)].add(owner.split("|")[1])
    assert pids == {s: {str(children[s].pid)} for s in range(SHARDS)}
