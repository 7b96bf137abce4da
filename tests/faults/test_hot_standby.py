"""SHARD_IDS=auto across real processes: two take the two shards, a third waits and takes the one whose process died.

Each process is tests/faults/standby_child.py (bot/cluster.py's claim_shards and heartbeat on one
database: a SQLite file, then a PostgreSQL schema). The holder of shard 0 is SIGKILLed: its lease is left
to expire, and the standby takes shard 0.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from tests.faults.fanout_world import REPO

TTL_S = 1.5


async def spawn(db: str | Path) -> asyncio.subprocess.Process:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.faults.standby_child",
        str(db),
        "2",
        str(TTL_S),
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert await line(child, 20) == "waiting"
    return child


async def line(child: asyncio.subprocess.Process, limit_s: float) -> str:
    assert child.stdout is not None
    return (await asyncio.wait_for(child.stdout.readline(), limit_s)).decode().strip()


async def test_a_standby_takes_the_shard_of_a_killed_process_and_not_before(shared_database: str) -> None:
    children: list[asyncio.subprocess.Process] = []
    try:
        first = await spawn(shared_database)
        children.append(first)
        assert await line(first, 10) == "shards 0"
        second = await spawn(shared_database)
        children.append(second)
        assert await line(second, 10) == "shards 1"
        standby = await spawn(shared_database)
        children.append(standby)
        taking = asyncio.create_task(line(standby, 30))
        await asyncio.sleep(TTL_S * 2)
        assert not taking.done()  # both shards run: it waits

        os.kill(first.pid, signal.SIGKILL)
        killed = time.monotonic()
        assert await taking == "shards 0"
        took_s = time.monotonic() - killed
        print(f"\nthe standby took shard 0 {took_s:.1f} s after its process was killed (TTL {TTL_S} s)")
        assert took_s <= TTL_S + 2.5
        for child in (second, standby):
            await asyncio.wait_for(child.communicate(b""), 10)
            assert child.returncode == 0
    finally:
        for child in children:
            if child.returncode is None:
                child.kill()
                await child.wait()
