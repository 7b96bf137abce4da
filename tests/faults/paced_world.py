"""Set-up and checks for the pacing faults: a fake Discord enforcing 50/s, bot children on real discord.py."""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.faults.fake_discord import FakeDiscord, Fault, FaultPlan
from tests.faults.fanout_world import FIRE_AT, REPO

DISCORD_LIMIT = 50


def on_posts(faults: dict[int, Fault]) -> FaultPlan:
    """Answer the n-th message post (counting from 0, retries included) with the given fault."""
    posts = 0

    def plan(_index: int, method: str, path: str) -> Fault | None:
        nonlocal posts
        if method != "POST" or not path.endswith("/messages"):
            return None
        posts += 1
        return faults.get(posts - 1)

    return plan


def enforcing_fake(fault: FaultPlan | None = None) -> FakeDiscord:
    return FakeDiscord(global_limit=DISCORD_LIMIT, fault=fault)


async def spawn_paced(
    db: Path, fake: FakeDiscord, wall_epoch: float, pacer: str, shards: tuple[int, str] | None = None
) -> asyncio.subprocess.Process:
    """A bot process (tests/faults/paced_child.py) whose clock read FIRE_AT at `wall_epoch`; `shards`:
    (SHARD_COUNT, SHARD_IDS) for one process of a sharded bot."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.faults.paced_child",
        str(db),
        fake.url,
        repr(wall_epoch),
        FIRE_AT.isoformat(),
        pacer,
        *((str(shards[0]), shards[1]) if shards else ()),
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def run_paced(
    db: Path,
    fake: FakeDiscord,
    wall_epoch: float,
    pacer: str,
    limit_s: float,
    shards: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """Run a child to the end of its fan-out; its gate's counters and wall time."""
    child = await spawn_paced(db, fake, wall_epoch, pacer, shards)
    stdout, stderr = await asyncio.wait_for(child.communicate(), limit_s)
    assert child.returncode == 0, stderr.decode()[-3000:]
    result: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
    return result


@dataclass(frozen=True)
class Traffic:
    """What the fake Discord saw, in the terms Discord's limit is stated in."""

    requests: int
    max_per_window: int  # the most in one whole second, as the limit is enforced
    max_any_second: int  # the most in any 1-second span
    over_limit: int  # requests the fake refused with a global 429 because their window was full
    injected_429: int
    by_route: dict[str, int]

    def line(self) -> str:
        return (
            f"{self.requests} requests, max {self.max_per_window}/window ({self.max_any_second} in any 1 s), "
            f"{self.over_limit} over the limit, {self.injected_429} injected 429s, {self.by_route}"
        )


def traffic(fake: FakeDiscord, since: float | None = None) -> Traffic:
    arrivals = [a for a in fake.arrivals if since is None or a.at >= since]
    windows = Counter(int(a.at // 1) for a in arrivals)
    view = FakeDiscord(arrivals=arrivals)
    routes = Counter(f"{a.method} {_route(a.path)}" for a in arrivals)
    return Traffic(
        requests=len(arrivals),
        max_per_window=max(windows.values(), default=0),
        max_any_second=view.most_in_any_second(),
        over_limit=sum(1 for a in arrivals if a.over_limit),
        injected_429=fake.injected[429],
        by_route=dict(routes),
    )


def _route(path: str) -> str:
    parts = path.split("/")[3:]  # drop "", "api", "v10"
    return "/" + "/".join("{id}" if part.isdigit() else part for part in parts)
