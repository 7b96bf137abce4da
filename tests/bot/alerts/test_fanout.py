"""Fan-out by batches: one job for many guilds, late decided per post, results delayed and spoiler-safe."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.alerts.batches import Batch
from bot.alerts.planner import delivery_key
from bot.alerts.service import REPLAN_JOB
from db.models.alerts import Lead
from db.storage.backend import open_db
from db.store import Store
from tests.faults.engine_world import (
    DARLINGTON_START,
    FIRST_GUILD,
    EngineClock,
    FakeDiscord,
    channel_of,
    darlington_id,
    reminder_key,
    service,
    subscribe,
)

ROLE = 700_000_000_000_000_001


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with open_db(db_path) as database:
        yield Store(database)


def guilds(count: int) -> list[int]:
    return [FIRST_GUILD + 10 * n for n in range(count)]


async def test_a_reminder_for_many_guilds_is_one_job_paged_through_only_our_guilds(store: Store) -> None:
    every = guilds(1_200)  # more than two pages of 500
    ours = set(every[::2])  # the other half belongs to another shard
    await subscribe(store, every, leads=[60])
    fire_at = DARLINGTON_START - dt.timedelta(minutes=60)
    fake = FakeDiscord(EngineClock(fire_at - dt.timedelta(hours=2)))
    alerts = service(store, fake, guilds=ours)
    await alerts.start()

    jobs = sorted(job.id for job in alerts.scheduler.get_jobs() if job.id != REPLAN_JOB)
    # One job per race in the planning window and lead (Darlington and the next week's race), not per guild.
    assert len(jobs) == 2 and jobs[0] == f"batch|reminder|{await darlington_id(store)}|2024-05-12T19:00Z|60|0"

    fake.clock.advance(dt.timedelta(hours=2))
    await alerts.replan()
    await alerts.wait_idle()
    alerts.stop()

    posted = {m.channel_id for channel in fake.messages.values() for m in channel}
    assert posted == {channel_of(g) for g in ours}
    assert all(len(fake.ours(channel_of(g))) == 1 for g in ours)


async def test_late_and_missed_are_decided_when_each_post_is_made(store: Store) -> None:
    lead = 5  # late after 1 min, missed once 2.5 min late
    await subscribe(store, guilds(6), leads=[lead])
    race_id = await darlington_id(store)
    fire_at = DARLINGTON_START - dt.timedelta(minutes=lead)
    fake = FakeDiscord(EngineClock(fire_at), post_takes=dt.timedelta(seconds=40))  # a slow, long queue
    alerts = service(store, fake)
    alerts.fanout.workers = 1  # one post at a time, so each one is decided 40 s after the one before

    await alerts.start()
    await alerts.wait_idle()
    alerts.stop()

    rows = [await store.alerts.delivery(key=reminder_key(race_id, g, lead)) for g in guilds(6)]
    states = [(r.state, r.late) if r else None for r in rows]
    assert states == [
        ("sent", False),  # decided at 0 s
        ("sent", False),  # 40 s
        ("sent", True),  # 80 s: later than a minute
        ("sent", True),  # 120 s
        ("missed", False),  # 160 s: more than half the lead late
        ("missed", False),
    ]
    assert rows[4] is not None and "too late" in (rows[4].detail or "")
    late_post = fake.ours(channel_of(guilds(6)[2]))[0]
    assert "Posted late" in late_post.embeds[0]["description"]
    # The bot ran all along: the queue made them late, and no post or ledger row says it was offline.
    assert "many servers were due at once" in late_post.embeds[0]["description"]
    assert "offline" not in late_post.embeds[0]["description"] and "offline" not in (rows[4].detail or "")


async def test_a_subscription_turned_off_mid_fan_out_gets_nothing(store: Store) -> None:
    every = guilds(40)  # one page: the last guild's subscription was read before it is turned off
    await subscribe(store, every, leads=[60])
    fire_at = DARLINGTON_START - dt.timedelta(minutes=60)
    fake = FakeDiscord(EngineClock(fire_at))
    alerts = service(store, fake)
    alerts.fanout.workers = 1
    race = await store.races.race_summary(race_id=await darlington_id(store))
    assert race is not None
    turned_off: list[asyncio.Task[int]] = []

    def off_after_the_first_post(channel_id: int) -> None:
        if not turned_off:  # the last guild's admin runs /alerts off while the fan-out is under way
            turned_off.append(asyncio.create_task(store.alerts.delete_subscriptions(guild_id=every[-1])))

    fake.on_post = off_after_the_first_post
    outcomes = await alerts.run_batch(Batch("reminder", race, fire_at, lead=Lead(60)))

    assert turned_off and turned_off[0].done() and turned_off[0].result() == 1
    assert fake.ours(channel_of(every[-1])) == []
    assert outcomes.count("sent") == len(every) - 1


async def test_results_follow_each_servers_delay_and_spoiler_setting_across_a_restart(store: Store) -> None:
    hidden, delayed, plain = guilds(3)
    await subscribe(store, [hidden], leads=[60], kinds=["results"], role_id=ROLE)
    await subscribe(store, [delayed, plain], leads=[60], kinds=["results"])
    now = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)
    await store.spoilers.update_settings(guild_id=hidden, hide_results=True, now=now)
    await store.spoilers.update_settings(guild_id=delayed, results_delay_h=3, now=now)
    schedule = await store.schedule.season_schedule(series="cup", season=2024, now=now)
    kansas = next(r for r in schedule.races if r.name == "AdventHealth 400")
    fake = FakeDiscord(EngineClock(now))
    first = service(store, fake)
    await first.start()

    outcomes = await first.on_race_official(kansas.id)
    first.stop()  # the bot stops before the delayed server's time

    assert outcomes == ["sent", "sent"]
    safe = fake.ours(channel_of(hidden))[0]
    assert "Larson" not in (safe.content or "") and "AdventHealth 400" in (safe.content or "")
    assert safe.embeds[0]["title"] == "2024 AdventHealth 400"
    assert "||" in safe.embeds[0]["description"] and "Larson" not in safe.embeds[0]["description"].split("||")[0]
    mentions = safe.allowed_mentions
    assert mentions["parse"] == [] and [int(r) for r in mentions["roles"]] == [ROLE] and not mentions.get("users")
    assert "Kyle Larson" in (fake.ours(channel_of(plain))[0].content or "")
    assert fake.ours(channel_of(delayed)) == []

    fake.clock.advance(dt.timedelta(hours=3, minutes=1))
    second = service(store, fake)
    await second.start()
    await second.wait_idle()
    second.stop()

    assert [len(fake.ours(channel_of(g))) for g in (hidden, delayed, plain)] == [1, 1, 1]
    assert "Kyle Larson" in (fake.ours(channel_of(delayed))[0].content or "")
    key = delivery_key("results", kansas.id, kansas.start_utc, delayed, channel_of(delayed), None)
    row = await store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent"
    assert row.fire_at == now + dt.timedelta(hours=3)


async def test_one_post_that_raises_does_not_stop_the_rest_of_the_batch(store: Store) -> None:
    every = guilds(5)
    await subscribe(store, every, leads=[60])
    race_id = await darlington_id(store)
    fake = FakeDiscord(EngineClock(DARLINGTON_START - dt.timedelta(minutes=60)))

    def broken_for_the_second_guild(channel_id: int) -> None:
        if channel_id == channel_of(every[1]):
            raise RuntimeError("a bug in one post")

    fake.on_post = broken_for_the_second_guild
    alerts = service(store, fake)
    await alerts.start()
    await alerts.wait_idle()
    alerts.stop()

    assert [len(fake.ours(channel_of(g))) for g in every] == [1, 0, 1, 1, 1]
    row = await store.alerts.delivery(key=reminder_key(race_id, every[1], 60))
    assert row is not None and row.state == "claimed"  # left to the stale-claim policy, not lost
