"""Exactly one feed poller at a time among processes on one database, and a standby takes over when it dies.

Three processes (tests/faults/poller_child.py: the real leases of bot/cluster.py) want the feed-sync
singleton; the test serves their polls and notes who polled when. The poller is SIGKILLed (its lease
is left to expire), then the next one is stopped cleanly (its lease is given back at once).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from aiohttp import web

from tests.faults.fanout_world import REPO

TTL_S = 1.5


class Polls:
    def __init__(self) -> None:
        self.seen: list[tuple[float, int]] = []  # (time.monotonic(), pid)

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append((time.monotonic(), int(request.query["pid"])))
        return web.Response(text="{}")

    def pollers(self, since: float, until: float) -> set[int]:
        return {pid for at, pid in self.seen if since <= at < until}

    def handovers(self) -> list[tuple[int, int, float]]:
        """(from pid, to pid, seconds without a poll) at each change of poller."""
        out = []
        for (before, old), (after, new) in zip(self.seen, self.seen[1:], strict=False):
            if new != old:
                out.append((old, new, after - before))
        return out


async def spawn(db: str | Path, url: str) -> asyncio.subprocess.Process:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.faults.poller_child",
        str(db),
        url,
        str(TTL_S),
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    assert await asyncio.wait_for(child.stdout.readline(), 20) == b"started\n"
    return child


async def current_poller(polls: Polls, processes: dict[int, asyncio.subprocess.Process]) -> int:
    """The one pid polling over the last half second (waits for a poll first)."""
    for _ in range(100):
        now = time.monotonic()
        recent = polls.pollers(now - 0.5, now)
        if recent:
            assert len(recent) == 1, f"several pollers at once: {recent}"
            (pid,) = recent
            assert pid in processes
            return pid
        await asyncio.sleep(0.1)
    raise AssertionError("nobody polls")


async def test_one_feed_poller_at_a_time_and_failover_on_a_kill_and_on_a_clean_stop(shared_database: str) -> None:
    polls = Polls()
    app = web.Application()
    app.router.add_get("/poll", polls.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    processes: dict[int, asyncio.subprocess.Process] = {}
    try:
        for _ in range(3):
            child = await spawn(shared_database, f"http://127.0.0.1:{port}")
            processes[child.pid] = child
        await asyncio.sleep(1.5)
        first = await current_poller(polls, processes)

        os.kill(first, signal.SIGKILL)
        await asyncio.wait_for(processes.pop(first).wait(), 10)
        await asyncio.sleep(TTL_S + 1.5)
        second = await current_poller(polls, processes)

        await asyncio.wait_for(processes.pop(second).communicate(b""), 10)  # a clean stop
        await asyncio.sleep(1.0)
        third = await current_poller(polls, processes)
        await asyncio.sleep(0.5)
        await asyncio.wait_for(processes.pop(third).communicate(b""), 10)
    finally:
        for child in processes.values():
            child.kill()
            await child.wait()
        await runner.cleanup()

    handovers = polls.handovers()
    print(f"\nhandovers (from, to, seconds without a poll): {handovers}")
    assert [(old, new) for old, new, _ in handovers] == [(first, second), (second, third)]
    kill_gap, stop_gap = handovers[0][2], handovers[1][2]
    assert kill_gap <= TTL_S + 2.5  # the lease expired (stored to the second) and the next beat took it
    assert stop_gap < kill_gap and stop_gap <= TTL_S / 4 + 0.5  # given back: taken at the next beat
