"""SIGKILL the bot at random points of a 1,000-guild fan-out, 20 times: no reminder twice, none lost.

The bot runs as a child process (tests/faults/fanout_child.py: the real AlertService on the real SQLite
file); Discord is a fake in this process that survives the kills. A kill comes either after a random
delay (start-up, planning, claiming, sending) or from inside the fake just after it stored the k-th new
message and before it answers: the crash Discord accepted but the bot never heard about.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from collections import Counter
from pathlib import Path

from tests.faults.fake_discord import FakeDiscord, Posted
from tests.faults.fanout_world import (
    ledger_states,
    mention_problems,
    messages_per_channel,
    now_epoch,
    posts_per_key,
    spawn,
    subscribe,
)

GUILDS = 1_000
KILLS = 20
RATE = 100.0  # sends per second in the child: fast, but still through the real token bucket
SEED = 8


async def test_sigkill_during_fan_out_posts_each_reminder_exactly_once(db_path: Path) -> None:
    subscribed = await subscribe(db_path, GUILDS)
    fake = FakeDiscord()
    await fake.start()
    rng = random.Random(SEED)
    wall_epoch = now_epoch()
    outcomes: Counter[str] = Counter()
    try:
        for _ in range(KILLS):
            child = await spawn(db_path, fake, wall_epoch, RATE)
            if rng.random() < 0.5:
                target = len(fake.created()) + rng.randint(1, 40)

                def kill_at(message: Posted, pid: int = child.pid, target: int = target) -> None:
                    if len(fake.created()) >= target:
                        os.kill(pid, signal.SIGKILL)

                fake.on_created = kill_at
                await _exits_within(child, 30)
            else:
                fake.on_created = None
                if not await _exits_within(child, rng.uniform(0.2, 1.4)):
                    child.kill()
            await child.wait()
            fake.on_created = None
            outcomes["killed" if child.returncode == -signal.SIGKILL else f"exited {child.returncode}"] += 1

        final = await spawn(db_path, fake, wall_epoch, RATE)
        _, stderr = await asyncio.wait_for(final.communicate(), 60)
        assert final.returncode == 0, stderr.decode()[-2000:]
    finally:
        await fake.stop()

    assert outcomes["killed"] >= KILLS - 2, outcomes  # the kills landed while there was work to interrupt
    states = await ledger_states(db_path, subscribed.keys)
    created, raw = posts_per_key(fake, subscribed)
    assert {key: state for key, (state, _) in states.items()} == dict.fromkeys(subscribed.keys, "sent")
    assert created == Counter(dict.fromkeys(subscribed.keys, 1))
    assert set(messages_per_channel(fake).values()) == {1}  # no second message under another nonce
    by_nonce = {m.nonce: m.id for m in fake.created()}
    assert all(states[key][1] == by_nonce[nonce] for nonce, key in subscribed.nonces().items())
    assert mention_problems(fake) == []
    print(f"\n{outcomes}; raw posts {sum(raw.values())} for {len(created)} messages")


async def _exits_within(child: asyncio.subprocess.Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(asyncio.shield(child.wait()), seconds)
    except TimeoutError:
        return False
    return True
