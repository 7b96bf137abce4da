"""A claim held by a process on another host: its liveness lease tells whether it is still posting.

The pid check of bot/alerts/owner.py works on one host only. Across hosts, without leases, a fresh claim
had to be left for STALE_AFTER in case its holder lived; with them (bot/cluster.py) a live holder's claim
is left alone however long it takes, and a dead holder's is taken over at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.alerts.limiter import Unlimited
from bot.alerts.service import AlertService, AlertStores
from bot.alerts.stale import STALE_AFTER
from db.models.alerts import Lead
from db.storage.backend import open_db
from db.store import Store
from tests.faults.engine_world import (
    DARLINGTON_START,
    FIRST_GUILD,
    EngineClock,
    FakeChannels,
    FakeDiscord,
    channel_of,
    darlington_id,
    reminder_key,
    subscribe,
)

ELSEWHERE = "elsewhere.example|77|12345"
FIRE_60 = DARLINGTON_START - dt.timedelta(minutes=60)


class Peers:
    """The other processes as bot/cluster.py reports them: here, only their liveness leases."""

    def __init__(self, liveness: dict[str, bool]) -> None:
        self.leases = liveness

    async def refresh(self) -> bool:
        return False

    async def liveness(self) -> dict[str, bool] | None:
        return self.leases


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with open_db(db_path) as database:
        yield Store(database)


async def claimed_elsewhere(store: Store, fake: FakeDiscord) -> str:
    await subscribe(store, [FIRST_GUILD], leads=[60])
    race_id = await darlington_id(store)
    key = reminder_key(race_id, FIRST_GUILD, 60)
    assert await store.alerts.claim_delivery(
        key=key,
        kind="reminder",
        race_id=race_id,
        guild_id=FIRST_GUILD,
        channel_id=channel_of(FIRST_GUILD),
        fire_at=FIRE_60,
        lead=Lead(60),
        now=fake.clock(),
        owner=f"{ELSEWHERE}|abc",
    )
    return key


def engine(store: Store, fake: FakeDiscord, peers: Peers | None) -> AlertService:
    return AlertService(
        stores=AlertStores.of(store),
        channels=FakeChannels(fake),
        clock=fake.clock,
        is_ours=lambda _guild: True,
        pace=Unlimited(),
        peers=peers,
    )


async def test_a_live_holder_on_another_host_keeps_its_claim_and_a_dead_ones_is_taken_over_at_once(
    store: Store,
) -> None:
    fake = FakeDiscord(EngineClock(FIRE_60))
    key = await claimed_elsewhere(store, fake)
    peers = Peers({ELSEWHERE: True})
    service = engine(store, fake, peers)
    await service.start()
    fake.clock.advance(STALE_AFTER * 3)  # older than the age rule: still left, the holder is alive
    await service.replan(resolve_stale=True)
    await service.wait_idle()
    row = await store.alerts.delivery(key=key)
    assert row is not None and row.state == "claimed" and fake.ours(channel_of(FIRST_GUILD)) == []

    peers.leases = {ELSEWHERE: False}  # its lease expired: the holder is gone
    await service.replan(resolve_stale=True)
    await service.wait_idle()
    service.stop()
    row = await store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent" and len(fake.ours(channel_of(FIRST_GUILD))) == 1


@pytest.mark.parametrize("peers", [None, Peers({})], ids=["we keep no leases", "it kept no lease"])
async def test_without_a_lease_to_read_a_fresh_claim_from_another_host_waits_for_the_age_rule(
    store: Store, peers: Peers | None
) -> None:
    fake = FakeDiscord(EngineClock(FIRE_60))
    key = await claimed_elsewhere(store, fake)
    service = engine(store, fake, peers)
    await service.start()
    await service.wait_idle()
    row = await store.alerts.delivery(key=key)
    assert row is not None and row.state == "claimed"
    fake.clock.advance(STALE_AFTER + dt.timedelta(seconds=1))
    await service.replan(resolve_stale=True)
    await service.wait_idle()
    service.stop()
    row = await store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent"
