"""The alert engine under faults: a busy channel after a crash, a refusing channel, a locked database at fire time.

The real AlertService (planner, batches, ledger, stale-claim policy, sender) on a real SQLite file;
only Discord is the fake of tests/faults/engine_world.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.alerts.owner import release_owner
from bot.alerts.planner import delivery_nonce
from bot.embeds.alerts import reminder_message
from db.models.alerts import Lead
from db.storage.backend import open_db
from db.store import Store
from tests.faults.engine_world import (
    BOT_USER_ID,
    DARLINGTON_START,
    FIRST_GUILD,
    MEMBER_ID,
    EngineClock,
    FakeDiscord,
    channel_of,
    darlington_id,
    reminder_key,
    service,
    subscribe,
)

GUILD = FIRST_GUILD
FIRE_60 = DARLINGTON_START - dt.timedelta(minutes=60)


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with open_db(db_path) as database:
        yield Store(database)


def chatter(fake: FakeDiscord, channel_id: int, count: int) -> None:
    for n in range(count):
        fake.clock.advance(dt.timedelta(milliseconds=200))
        fake.post(channel_id, author_id=MEMBER_ID, content=f"message {n}", embeds=[], nonce=None)


async def test_own_post_in_a_busy_channel_is_found_after_the_nonce_window_and_not_posted_again(store: Store) -> None:
    fake = FakeDiscord(EngineClock(FIRE_60))
    await subscribe(store, [GUILD], leads=[60])
    race_id = await darlington_id(store)
    key, channel = reminder_key(race_id, GUILD, 60), channel_of(GUILD)
    crashed = service(store, fake)
    race = await store.races.race_summary(race_id=race_id)
    assert race is not None
    # The first process claims, waits its turn while 120 members talk, posts, and dies before marking it.
    assert await store.alerts.claim_delivery(
        key=key,
        kind="reminder",
        race_id=race_id,
        guild_id=GUILD,
        channel_id=channel,
        fire_at=FIRE_60,
        lead=Lead(60),
        now=fake.clock(),
        owner=crashed.owner,
    )
    chatter(fake, channel, 120)
    message = reminder_message(race, lead=Lead(60), role_id=None, late=False, nonce=delivery_nonce(key))
    posted = fake.post(
        channel,
        author_id=BOT_USER_ID,
        content=message.content,
        embeds=[message.embed.to_dict()],
        nonce=delivery_nonce(key),
    )
    release_owner(crashed.owner)
    chatter(fake, channel, 150)
    fake.clock.advance(dt.timedelta(minutes=5))  # past Discord's nonce window: a re-send would be a second post

    restarted = service(store, fake)
    await restarted.start()
    await restarted.wait_idle()
    restarted.stop()

    assert [m.id for m in fake.ours(channel)] == [posted.id]
    assert len(fake.requests_to(channel, "POST")) == 1 + 270  # the crashed post and the members' messages only
    assert len(fake.requests_to(channel, "GET")) >= 2  # the post was on the second page after the claim
    row = await store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent" and row.message_id == posted.id


async def test_a_refusing_channel_gets_one_request_and_later_reminders_never_go_to_it(store: Store) -> None:
    fake = FakeDiscord(EngineClock(FIRE_60))
    healthy = GUILD + 10  # pages by guild id: the refusing guild comes first in every batch
    await subscribe(store, [GUILD, healthy], leads=[60, 30])
    race_id = await darlington_id(store)
    fake.refused[channel_of(GUILD)] = 403
    alerts = service(store, fake)
    await alerts.start()
    await alerts.wait_idle()
    assert len(fake.requests_to(channel_of(GUILD))) == 1

    # The 30-minute reminder's job was scheduled before the refusal; it fires from the scheduler.
    fake.clock.advance(dt.timedelta(minutes=30))
    alerts.scheduler.wakeup()
    for _ in range(200):
        if len(fake.ours(channel_of(healthy))) == 2:
            break
        await asyncio.sleep(0.01)
    alerts.stop()

    assert len(fake.ours(channel_of(healthy))) == 2  # the job ran: the healthy guild got both reminders
    assert len(fake.requests_to(channel_of(GUILD))) == 1
    subs = {s.guild_id: s for s in await store.alerts.subscriptions()}
    assert "403" in (subs[GUILD].disabled_reason or "") and subs[healthy].disabled_reason is None
    assert await store.alerts.delivery(key=reminder_key(race_id, GUILD, 30)) is None


async def test_two_batches_due_together_make_one_request_to_a_refusing_channel(store: Store) -> None:
    # Down across both fire times: at restart the 60- and 55-minute reminders are due at once.
    fake = FakeDiscord(EngineClock(FIRE_60 + dt.timedelta(minutes=6)))
    await subscribe(store, [GUILD], leads=[60, 55])
    fake.refused[channel_of(GUILD)] = 404
    alerts = service(store, fake)

    await alerts.start()
    await alerts.wait_idle()
    alerts.stop()

    assert len(fake.requests_to(channel_of(GUILD))) == 1
    subs = await store.alerts.subscriptions(guild_id=GUILD)
    assert "10003" in (subs[0].disabled_reason or "")


async def test_a_database_locked_at_fire_time_delays_a_short_lead_reminder_by_seconds_not_a_replan(
    store: Store, db_path: Path
) -> None:
    lead = 5  # a 5-minute reminder: it would be missed if it waited for the 5-minute re-plan
    fire_at = DARLINGTON_START - dt.timedelta(minutes=lead)
    fake = FakeDiscord(EngineClock(fire_at - dt.timedelta(seconds=1.5), running=True))
    await subscribe(store, [GUILD], leads=[lead])
    race_id = await darlington_id(store)
    alerts = service(store, fake)
    await alerts.start()  # plans the job 1.5 s ahead

    holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock across the fire time
    holder.execute("INSERT INTO bot_state (key, value) VALUES ('lock-holder', 'x')")
    await asyncio.sleep(5.0)
    assert fake.ours(channel_of(GUILD)) == []  # nothing could be claimed while it held the lock
    holder.execute("COMMIT")
    released = time.monotonic()
    for _ in range(400):
        if fake.ours(channel_of(GUILD)):
            break
        await asyncio.sleep(0.05)
    waited = time.monotonic() - released
    for _ in range(100):  # the ledger mark follows the post
        row = await store.alerts.delivery(key=reminder_key(race_id, GUILD, lead))
        if row is not None and row.state != "claimed":
            break
        await asyncio.sleep(0.05)
    alerts.stop()
    holder.close()

    assert len(fake.ours(channel_of(GUILD))) == 1
    assert waited < 6.0, f"posted {waited:.1f} s after the lock cleared"
    assert row is not None and row.state == "sent" and not row.late
