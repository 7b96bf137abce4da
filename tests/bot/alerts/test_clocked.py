"""The APScheduler clock patch: only for a virtual clock, only on the release it was written for."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.alerts import clocked
from bot.alerts.clocked import ClockedScheduler

ROOT = Path(__file__).resolve().parents[3]


def test_apscheduler_is_pinned_exactly_to_the_installed_release() -> None:
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(d for d in wanted if d.lower().startswith("apscheduler"))
    match = re.fullmatch(r"apscheduler==(\S+)", pin.replace(" ", ""), re.IGNORECASE)
    assert match, f"APScheduler must be pinned with ==, not {pin!r}: bot/alerts/clocked.py patches its internals"
    assert importlib.metadata.version("apscheduler") == match.group(1)


def test_the_system_clock_patches_nothing() -> None:
    # A fresh interpreter: other tests in this process have installed the patch already.
    code = (
        "import datetime, apscheduler.schedulers.base as s, apscheduler.executors.base as e\n"
        "from bot.alerts.clocked import ClockedScheduler\n"
        "from bot.clock import system_clock\n"
        "ClockedScheduler(system_clock)\n"
        "assert s.datetime is datetime.datetime and e.datetime is datetime.datetime\n"
        "ClockedScheduler(lambda: datetime.datetime.now(datetime.UTC))\n"
        "assert s.datetime is not datetime.datetime and e.datetime is not datetime.datetime\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_moved_name_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(clocked._executors_base, "datetime")

    with pytest.raises(RuntimeError, match="no longer imports `datetime`"):
        ClockedScheduler(lambda: dt.datetime(2026, 5, 1, tzinfo=dt.UTC))


async def test_a_job_fires_when_the_virtual_clock_reaches_it() -> None:
    now = [dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)]
    fired = asyncio.Event()

    async def job() -> None:
        fired.set()

    scheduler = ClockedScheduler(lambda: now[0])
    scheduler.add_job(job, "date", run_date=now[0] + dt.timedelta(hours=1))
    scheduler.start()
    try:
        scheduler.wakeup()
        await asyncio.sleep(0.05)
        assert not fired.is_set()  # the wall clock has moved on a little, the bot's clock has not
        now[0] += dt.timedelta(hours=1)  # exactly its run time: later than the grace would be a misfire
        scheduler.wakeup()
        await asyncio.wait_for(fired.wait(), timeout=5)
    finally:
        scheduler.shutdown(wait=False)
