"""A process's leases kept alive by a heartbeat: taken when free or expired, renewed, released on a clean stop.

Several processes share one database (issue 17). What only one of them may do at a time (the feed poller),
what any of them must be able to tell about another (is that claim holder alive?) and which shards are
run by whom are leases (db/repos/leases.py). A lease outlives its holder by at most its TTL: a process
that dies stops renewing, and another takes the name once it has expired.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock
from db.models.leases import Lease
from db.repos.leases import LeaseStore

log = logging.getLogger(__name__)

TTL = dt.timedelta(seconds=30)
HEARTBEAT_S = 10.0  # three beats per TTL: one slow write does not lose a lease

OnChange = Callable[[bool], Awaitable[None]]


class LeaseKeeper:
    """The leases one owner wants; `beat()` takes or renews each, and tells who cares when one is won or lost."""

    def __init__(
        self,
        store: LeaseStore,
        owner: str,
        clock: Clock,
        *,
        ttl: dt.timedelta = TTL,
        every_s: float = HEARTBEAT_S,
    ) -> None:
        self.store, self.owner, self.clock = store, owner, clock
        self.ttl, self.every_s = ttl, every_s
        self._wanted: dict[str, OnChange | None] = {}
        self._renewed: dict[str, dt.datetime] = {}  # held leases: when last renewed
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def holds(self, name: str) -> bool:
        return name in self._renewed

    def want(self, name: str, on_change: OnChange | None = None) -> None:
        """Keep trying for `name` at every beat; `on_change(True/False)` when it is won or lost."""
        self._wanted[name] = on_change

    async def unwant(self, name: str) -> None:
        on_change = self._wanted.pop(name, None)
        if self._renewed.pop(name, None) is not None:
            await self.store.release(name=name, owner=self.owner)
            await _tell(on_change, False, name)

    async def beat(self) -> None:
        """One round: every wanted lease taken or renewed. A write that fails keeps a lease until its TTL."""
        for name, on_change in list(self._wanted.items()):
            now = self.clock()
            try:
                held = await self.store.take(name=name, owner=self.owner, now=now, ttl=self.ttl)
            except Exception:
                log.warning("Could not renew the lease %s; trying again at the next beat", name, exc_info=True)
                last = self._renewed.get(name)
                held = last is not None and now - last < self.ttl
                if held:
                    continue
            was = self.holds(name)
            if held:
                self._renewed[name] = now
            else:
                self._renewed.pop(name, None)
            if held != was:
                log.info("Lease %s %s by %s", name, "taken" if held else "lost", self.owner)
                await _tell(on_change, held, name)

    async def others(self, prefix: str) -> dict[str, Lease]:
        return await self.store.named(prefix=prefix)

    async def start(self) -> None:
        """The first beat now (so a singleton starts at once), then one every `every_s`."""
        if self._task is None:
            await self.beat()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="lease-heartbeat")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            try:
                await self.beat()
            except Exception:  # a callback failed; the heartbeat must live on
                log.exception("Lease heartbeat round failed")

    async def stop(self) -> None:
        """A clean stop: the heartbeat ends and every lease is given back at once, not left to expire."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for name in list(self._renewed):
            with contextlib.suppress(Exception):  # the database may be gone first; then the TTL frees it
                await self.unwant(name)


async def _tell(on_change: OnChange | None, held: bool, name: str) -> None:
    if on_change is None:
        return
    try:
        await on_change(held)
    except Exception:
        log.exception("Reacting to the lease %s being %s failed", name, "taken" if held else "lost")
