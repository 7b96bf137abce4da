"""REST pacing under faults: requests per 1-second window during a fan-out with a global 429, 5xx, a restart.

Run: python -m bench.pacing [--guilds 1000] [--pacer bucket,gate] [--faults 429,5xx,restart]

The bot is the fault tests' child process (tests/faults/paced_child.py): PhotoFinish and the real
AlertService on a real SQLite file, every request made by discord.py's own HTTPClient over loopback
to the fake Discord of tests/faults/fake_discord.py, which counts requests by the 1-second window they
arrive in and refuses the 51st of a window with a global 429, as Discord does. `bucket` is how main
paced (a TokenBucket at SEND_RATE before each first send, nothing else); `gate` is bot/pacing.py's
RestGate in discord.py's session. Half the guilds' channels are cached, half fetched (GET /channels).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from db.importers.loader import load_bundled
from db.storage.backend import open_db
from tests.faults.fake_discord import FakeDiscord, Fault, FaultPlan, Posted
from tests.faults.fanout_world import now_epoch, subscribe
from tests.faults.paced_world import enforcing_fake, on_posts, run_paced, spawn_paced, traffic

FIVE_XX = {40: Fault(500), 90: Fault(502, after_create=True), 140: Fault(503), 200: Fault(502)}


def plan_for(fault: str, guilds: int) -> FaultPlan | None:
    if fault == "429":
        return on_posts({guilds // 3: Fault(429, retry_after=1.0)})
    if fault == "5xx":
        return on_posts(FIVE_XX)
    return None


async def one_run(guilds: int, pacer: str, fault: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "pacing.db"
        async with open_db(db) as database:
            await load_bundled(database)
        await subscribe(db, guilds)
        fake = enforcing_fake(plan_for(fault, guilds))
        await fake.start()
        started = time.perf_counter()
        epoch, since = now_epoch(), None
        try:
            if fault == "restart":
                since = await _kill_mid_fan_out(db, fake, epoch, pacer, guilds)
            await run_paced(db, fake, epoch, pacer, limit_s=3600)
        finally:
            await fake.stop()
        seconds = time.perf_counter() - started
    seen = traffic(fake, since=since)
    copies = {len(messages) for messages in fake.messages.values()}
    return (
        f"| {fault} | {pacer} | {seen.max_per_window} | {seen.max_any_second} | "
        f"{seen.over_limit} + {seen.injected_429} | {seconds:.1f} s | "
        f"{len(fake.created())} msgs, per channel {sorted(copies)} |"
    )


async def _kill_mid_fan_out(db: Path, fake: FakeDiscord, epoch: float, pacer: str, guilds: int) -> float:
    """SIGKILL a first child after a third of the posts; the figures are for the restarted one only."""
    child = await spawn_paced(db, fake, epoch, pacer)

    def kill(_message: Posted) -> None:
        if len(fake.created()) >= guilds // 3:
            os.kill(child.pid, signal.SIGKILL)

    fake.on_created = kill
    await child.wait()
    fake.on_created = None
    return time.monotonic()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing", description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--pacer", default="bucket,gate", help="bucket (main's pacing), gate (RestGate), or both")
    parser.add_argument("--faults", default="429,5xx,restart")
    args = parser.parse_args(argv)
    print(f"{args.guilds} guilds; fake Discord refuses the 51st request of a 1-second window")
    print("| fault | pacer | max/window | max in any 1 s | 429s (refused + injected) | time | result |")
    print("|---|---|---|---|---|---|---|")
    for fault in args.faults.split(","):
        for pacer in args.pacer.split(","):
            print(asyncio.run(one_run(args.guilds, pacer, fault)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
