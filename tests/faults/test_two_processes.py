"""Two bot processes on the same database (same token, same guilds) fan out the same reminders: one post each.

The ledger claim (INSERT … ON CONFLICT DO NOTHING in one SQLite file) decides which process posts a key,
and a claim names its holder (bot/alerts/owner.py): a process starting while the other is mid-fan-out
leaves the live holder's claims alone. So each key is posted once on the wire, not only once after
Discord's nonce dedup.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from tests.faults.fake_discord import FakeDiscord
from tests.faults.fanout_world import (
    ledger_states,
    mention_problems,
    messages_per_channel,
    now_epoch,
    posts_per_key,
    spawn,
    subscribe,
)

GUILDS = 300
RATE = 200.0


@pytest.mark.parametrize("stagger", [0.0, 0.7, 1.5])
async def test_two_processes_on_one_database_post_each_reminder_once(db_path: Path, stagger: float) -> None:
    subscribed = await subscribe(db_path, GUILDS)
    fake = FakeDiscord()
    await fake.start()
    wall_epoch = now_epoch()
    try:
        first = await spawn(db_path, fake, wall_epoch, RATE)
        await asyncio.sleep(stagger + random.Random(GUILDS).uniform(0, 0.05))
        second = await spawn(db_path, fake, wall_epoch, RATE)
        results = await asyncio.wait_for(asyncio.gather(first.communicate(), second.communicate()), 60)
    finally:
        await fake.stop()

    assert (first.returncode, second.returncode) == (0, 0), [err.decode()[-1500:] for _, err in results]
    states = await ledger_states(db_path, subscribed.keys)
    created, raw = posts_per_key(fake, subscribed)
    assert {states[key][0] for key in subscribed.keys} == {"sent"}
    assert created == Counter(dict.fromkeys(subscribed.keys, 1))
    assert set(messages_per_channel(fake).values()) == {1}
    assert mention_problems(fake) == []
    assert raw == Counter(dict.fromkeys(subscribed.keys, 1)), "a live process's claims were taken over"
