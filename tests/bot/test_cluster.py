"""Leases between processes on one database: one feed poller at a time with failover, adopted shards, liveness.

Each "process" here is a Cluster with its own name and its own connection to one SQLite file; a process
dies by no longer beating (its leases are left to expire, as after a SIGKILL). The clock is driven by
hand, so expiry is exact. tests/faults/test_shard_failover.py does the same with real processes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from bot.cluster import IDENTIFY_SPACING, Cluster
from bot.shards import Shards
from db.repos.leases import LeaseStore
from db.storage.backend import open_db

START = dt.datetime(2024, 5, 12, 18, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=30)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[list[LeaseStore]]:
    """Three connections to one file, as three processes would have."""
    async with AsyncExitStack() as stack:
        yield [LeaseStore(await stack.enter_async_context(open_db(tmp_path / "shared.db"))) for _ in range(3)]


def process(
    store: LeaseStore, clock: Clock, name: str, shards: Shards | None = None, every_s: float = 86_400
) -> Cluster:
    # No heartbeat of its own by default (every_s is far away): the test beats for each live process.
    return Cluster(store, shards or Shards(), clock, process=name, ttl=TTL, every_s=every_s)


class Poller:
    """A feed poller's start and stop, as cogs/feed.py gives them to the singleton."""

    def __init__(self) -> None:
        self.polling = False
        self.turns = 0

    async def __call__(self, held: bool) -> None:
        self.polling = held
        self.turns += held


async def test_exactly_one_feed_poller_at_a_time_and_a_standby_takes_over_when_it_dies(
    stores: list[LeaseStore], clock: Clock
) -> None:
    first, second = process(stores[0], clock, "host-a|1|1"), process(stores[1], clock, "host-b|2|2")
    polls = {first: Poller(), second: Poller()}
    for cluster in (first, second):
        await cluster.start()
        await cluster.singleton("feed-sync", polls[cluster])
    assert (polls[first].polling, polls[second].polling) == (True, False)

    for _ in range(10):  # both beat, the holder renews: the standby never takes it
        clock.advance(10)
        for cluster in (first, second):
            await cluster.keeper.beat()
            assert sum(p.polling for p in polls.values()) == 1
    assert polls[first].polling

    # The poller's process dies: no more beats. The standby waits until the lease has expired.
    for _ in range(3):
        clock.advance(10)
        await second.keeper.beat()
        assert polls[second].polling is (clock.now - START > dt.timedelta(seconds=100) + TTL)
    clock.advance(10)
    await second.keeper.beat()
    assert polls[second].polling and polls[second].turns == 1

    # A clean stop hands over at the next beat, without waiting for the TTL.
    third = process(stores[2], clock, "host-c|3|3")
    polls[third] = Poller()
    await third.start()
    await third.singleton("feed-sync", polls[third])
    assert not polls[third].polling
    await second.stop()
    assert not polls[second].polling
    await third.keeper.beat()
    assert polls[third].polling


async def test_a_survivor_adopts_a_dead_processs_shard_until_it_is_run_again(
    stores: list[LeaseStore], clock: Clock
) -> None:
    mine, theirs = Shards(2, [0]), Shards(2, [1])
    survivor = process(stores[0], clock, "host-a|1|1", mine)
    other = process(stores[1], clock, "host-b|2|2", theirs)
    await survivor.start()
    assert await survivor.refresh() is False  # shard 1 never ran: not adopted
    await other.start()
    assert await survivor.liveness() == {"host-a|1|1": True, "host-b|2|2": True}

    clock.advance(TTL.total_seconds() - 1)
    await survivor.keeper.beat()
    assert await survivor.refresh() is False and mine.held == {0}
    clock.advance(2)  # the other process stopped beating a TTL ago
    await survivor.keeper.beat()
    assert await survivor.refresh() is True and mine.held == {0, 1}
    assert await survivor.liveness() == {"host-a|1|1": True, "host-b|2|2": False}

    restarted = process(stores[2], clock, "host-b|9|9", Shards(2, [1]))
    await restarted.start()  # its shard lease was expired: taken at once
    assert await survivor.refresh() is True and mine.held == {0}


async def test_a_start_up_job_is_done_by_one_process_while_the_others_skip(
    stores: list[LeaseStore], clock: Clock
) -> None:
    first, second = process(stores[0], clock, "a|1|1"), process(stores[1], clock, "b|2|2")

    assert await first.once("command-sync") is True
    assert await second.once("command-sync") is False
    await first.done("command-sync")
    assert await second.once("command-sync") is True


async def test_a_lease_is_taken_by_one_of_two_racing_owners(stores: list[LeaseStore], clock: Clock) -> None:
    won = [await store.take(name="singleton:x", owner=f"p{n}", now=clock(), ttl=TTL) for n, store in enumerate(stores)]

    assert won == [True, False, False]
    assert (await stores[1].named(prefix="singleton:"))["singleton:x"].owner == "p0"


async def test_auto_processes_take_free_shards_and_a_hot_standby_waits_for_one_to_expire(
    stores: list[LeaseStore], clock: Clock
) -> None:
    first, second, standby = (
        process(store, clock, f"host-{n}|{n}|{n}", Shards(2, []), every_s=0.01) for n, store in enumerate(stores)
    )
    assert await first.claim_shards(1) == {0} and first.shards.own == {0}
    assert await second.claim_shards(1) == {1}
    waiting = asyncio.create_task(standby.claim_shards(1))
    await asyncio.sleep(0.1)
    assert not waiting.done()  # every shard is run: it waits

    clock.advance(TTL.total_seconds() + 1)  # neither beat: both processes died; the standby takes one
    assert len(await asyncio.wait_for(waiting, 5)) == 1 and standby.shards.share() == 0.5


async def test_identify_is_spaced_per_concurrency_bucket_across_processes(
    stores: list[LeaseStore], clock: Clock
) -> None:
    first, second = process(stores[0], clock, "a|1|1"), process(stores[1], clock, "b|2|2")
    await first.identify_turn(0, 1)
    waiting = asyncio.create_task(second.identify_turn(1, 1))  # the same bucket with max_concurrency 1
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await asyncio.wait_for(second.identify_turn(1, 2), 1)  # its own bucket with max_concurrency 2
    clock.advance(IDENTIFY_SPACING.total_seconds() + 1)
    await asyncio.wait_for(waiting, 3)
