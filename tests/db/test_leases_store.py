"""The lease repository (part of the contract suite: every backend): take when free or expired, renew our own."""

from __future__ import annotations

import datetime as dt

from db.repos.leases import LeaseStore
from db.storage.sqlite import SqliteDatabase

NOW = dt.datetime(2024, 5, 12, 18, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=30)


async def test_a_lease_is_taken_when_free_renewed_by_its_owner_and_refused_to_others_until_it_expires(
    db: SqliteDatabase,
) -> None:
    leases = LeaseStore(db)

    assert await leases.take(name="shard:0", owner="a", now=NOW, ttl=TTL) is True
    assert await leases.take(name="shard:0", owner="b", now=NOW + dt.timedelta(seconds=10), ttl=TTL) is False
    assert await leases.take(name="shard:0", owner="a", now=NOW + dt.timedelta(seconds=20), ttl=TTL) is True
    held = (await leases.named(prefix="shard:"))["shard:0"]
    assert held.owner == "a" and held.expires_at == NOW + dt.timedelta(seconds=50)
    assert held.live_at(NOW + dt.timedelta(seconds=50)) and not held.live_at(NOW + dt.timedelta(seconds=51))

    assert await leases.take(name="shard:0", owner="b", now=NOW + dt.timedelta(seconds=50), ttl=TTL) is False
    assert await leases.take(name="shard:0", owner="b", now=NOW + dt.timedelta(seconds=51), ttl=TTL) is True
    assert (await leases.named(prefix="shard:"))["shard:0"].owner == "b"


async def test_release_is_by_the_owner_only_and_names_are_read_by_prefix(db: SqliteDatabase) -> None:
    leases = LeaseStore(db)
    for name in ("alive:a", "shard:1", "shard:10", "singleton:feed-sync"):
        await leases.take(name=name, owner="a", now=NOW, ttl=TTL)

    await leases.release(name="shard:1", owner="b")
    assert set(await leases.named(prefix="shard:")) == {"shard:1", "shard:10"}
    await leases.release(name="shard:1", owner="a")
    assert set(await leases.named(prefix="shard:")) == {"shard:10"}
    assert set(await leases.named(prefix="shard:1")) == {"shard:10"}  # a prefix, not a pattern
    assert await leases.take(name="shard:1", owner="b", now=NOW, ttl=TTL) is True
