"""Shared set-up for the process-level fan-out faults: subscribed guilds, child bot processes, checks."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.alerts.planner import delivery_key, delivery_nonce
from db.models.alerts import Lead
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fake_discord import FakeDiscord

REPO = Path(__file__).resolve().parents[2]
DARLINGTON_START = dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC)
LEAD_MIN = 60
FIRE_AT = DARLINGTON_START - dt.timedelta(minutes=LEAD_MIN)
FIRST_GUILD = 10_000_000_000_000_000
ROLE_OFFSET = 5  # every other guild pings a role whose id is guild id + 5


def guild_ids(count: int) -> list[int]:
    return [FIRST_GUILD + 10 * n for n in range(count)]


def role_of(guild_id: int) -> int | None:
    return guild_id + ROLE_OFFSET if (guild_id // 10) % 2 == 0 else None


@dataclass(frozen=True)
class Subscribed:
    keys: dict[str, int]  # delivery key -> guild id
    race_id: int

    def nonces(self) -> dict[str, str]:
        return {delivery_nonce(key): key for key in self.keys}


def spread_guild_ids(count: int) -> list[int]:
    """Snowflake-like ids, in order, on shards 0, 0, 1, 1, … of two ((id >> 22) % 2), for tests that split
    guilds over shard processes (in pairs, so each shard gets cached and uncached channels alike)."""
    return [((1_000_000 + 2 * n + (n // 2) % 2) << 22) | 4240 for n in range(count)]


async def subscribe(db: str | Path, count: int, ids: Iterable[int] | None = None) -> Subscribed:
    """`count` guilds (`ids` if given) with a 1 h Cup reminder to their channel (guild id + 1), set up a day before."""
    async with open_db(db) as database:
        store = Store(database)
        view = await store.schedule.next_races(series="cup", now=dt.datetime(2024, 5, 7, tzinfo=dt.UTC))
        race = view.races[0]
        assert race.start_utc == DARLINGTON_START
        keys = {}
        for guild_id in list(ids) if ids is not None else guild_ids(count):
            await store.alerts.save_subscription(
                guild_id=guild_id,
                series="cup",
                channel_id=guild_id + 1,
                role_id=role_of(guild_id),
                leads=[Lead(LEAD_MIN)],
                kinds=["reminder"],
                now=FIRE_AT - dt.timedelta(days=1),
            )
            keys[delivery_key("reminder", race.id, DARLINGTON_START, guild_id, guild_id + 1, Lead(LEAD_MIN))] = guild_id
        return Subscribed(keys=keys, race_id=race.id)


async def spawn(db: Path, fake: FakeDiscord, wall_epoch: float, rate: float) -> asyncio.subprocess.Process:
    """A bot process whose clock read FIRE_AT at `wall_epoch` (a time.time() value)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.faults.fanout_child",
        str(db),
        fake.url,
        repr(wall_epoch),
        FIRE_AT.isoformat(),
        str(rate),
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def now_epoch() -> float:
    return time.time()


async def ledger_states(db: str | Path, keys: Iterable[str]) -> dict[str, tuple[str, int | None]]:
    """key -> (ledger state or "absent", message id)."""
    out: dict[str, tuple[str, int | None]] = {}
    async with open_db(db) as database:
        alerts = Store(database).alerts
        for key in keys:
            row = await alerts.delivery(key=key)
            out[key] = (row.state, row.message_id) if row else ("absent", None)
    return out


def mention_problems(fake: FakeDiscord) -> list[str]:
    """Posts whose allowed_mentions could ping anything but the guild's configured alert role."""
    problems = []
    for post in fake.raw_posts:
        allowed = post.body.get("allowed_mentions")
        guild_id = post.channel_id - 1
        role = role_of(guild_id)
        permitted = {role} if role is not None else set()
        if (
            allowed is None
            or allowed.get("parse")
            or allowed.get("users")
            or allowed.get("replied_user")
            or not {int(r) for r in allowed.get("roles", [])} <= permitted
        ):
            problems.append(f"channel {post.channel_id}: {allowed}")
    return problems


def posts_per_key(fake: FakeDiscord, subscribed: Subscribed) -> tuple[Counter[str], Counter[str]]:
    """(messages created, raw posts) per delivery key, as the fake Discord saw them."""
    nonces = subscribed.nonces()
    created = Counter(nonces.get(m.nonce or "", "?") for m in fake.created())
    raw = Counter(nonces.get(p.nonce or "", "?") for p in fake.raw_posts)
    return created, raw


def messages_per_channel(fake: FakeDiscord) -> Counter[int]:
    return Counter({channel_id: len(messages) for channel_id, messages in fake.messages.items()})
