"""This process among the others on one database: its liveness, its shards, what it adopts, its singletons.

Every lease is kept by one heartbeat (bot/leases.py), owned by this process (host|pid|start, as claims
name it: bot/alerts/owner.py):
- `alive:<process>` — any host tells a live claim holder from a dead one by it (bot/alerts/stale.py).
- `shard:<n>` for each shard this process runs, when there are several shards. A process that dies stops
  renewing them; while they are expired, a survivor posts alerts for their servers too (REST needs no
  gateway connection), from its next re-plan on. A shard that was never run by anyone is not adopted:
  that is the operator's configuration, not a failure.
- `singleton:<job>` — a job one process at a time runs (the feed poller); a waiting process takes it
  over once the holder's lease expires.
- `once:<job>` — a job one process does at start-up while the others skip it (command sync).
- `identify:<bucket>` — held IDENTIFY_SPACING after a shard of that max_concurrency bucket identifies, by
  whichever process: Discord allows max_concurrency IDENTIFYs per 5 s across all of a bot's connections.
With SHARD_IDS=auto a process first takes free `shard:<n>` leases (claim_shards), waiting as a hot standby
while none is free: a shard whose process died is free once its lease has expired.
The cluster only runs where several processes may share the database (SHARD_COUNT set, or the feed sync
on); otherwise nothing is written and the alert service works as with one process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from bot.alerts.owner import this_process
from bot.clock import Clock
from bot.leases import HEARTBEAT_S, TTL, LeaseKeeper
from bot.shards import Shards
from db.repos.leases import LeaseStore

log = logging.getLogger(__name__)

ALIVE, SHARD, SINGLETON, ONCE, IDENTIFY = "alive:", "shard:", "singleton:", "once:", "identify:"
ONCE_TTL = dt.timedelta(minutes=2)  # a start-up job that takes longer than this may be done twice
# Discord's window is 5 s; lease times are whole seconds, so 6 s keeps more than 5 s between two IDENTIFYs.
IDENTIFY_SPACING = dt.timedelta(seconds=6)


class Cluster:
    def __init__(
        self,
        store: LeaseStore,
        shards: Shards,
        clock: Clock,
        *,
        process: str | None = None,
        ttl: dt.timedelta = TTL,
        every_s: float = HEARTBEAT_S,
    ) -> None:
        self.process = process or this_process()
        self.shards, self.clock = shards, clock
        self.keeper = LeaseKeeper(store, self.process, clock, ttl=ttl, every_s=every_s)

    @property
    def running(self) -> bool:
        return self.keeper.running

    async def start(self) -> None:
        """Take this process's leases and keep them (idempotent: whoever needs the cluster first starts it)."""
        if self.running:
            return
        self.keeper.want(ALIVE + self.process)
        if self.shards.count > 1:
            for shard in sorted(self.shards.own):
                self.keeper.want(SHARD + str(shard), self._own_shard(shard))
        await self.keeper.start()

    async def stop(self) -> None:
        await self.keeper.stop()

    def _own_shard(self, shard: int) -> Callable[[bool], Awaitable[None]]:
        async def told(held: bool) -> None:
            if not held:
                # Another live process holds it: two processes were given the same SHARD_IDS. Both post
                # (the ledger keeps each alert to one post), but the operator should know.
                log.warning("Shard %d's lease is held by another process: check SHARD_IDS", shard)

        return told

    # Peers, for the alert service (bot/alerts/owner.py) ---------------------------------------------

    async def refresh(self) -> bool:
        """Adopt the shards whose lease expired (their process died), give back those renewed again."""
        if not self.running or self.shards.count == 1:
            return False
        leases = await self.keeper.others(SHARD)
        now = self.clock()
        orphaned = [
            shard
            for shard in range(self.shards.count)
            if (lease := leases.get(SHARD + str(shard))) is not None
            and not lease.live_at(now)
            and lease.owner != self.process
        ]
        changed = self.shards.adopt(orphaned)
        if changed:
            log.warning("Posting alerts for shards %s too: their process stopped renewing them", sorted(orphaned))
        return changed

    async def liveness(self) -> dict[str, bool] | None:
        if not self.running:
            return None
        now = self.clock()
        return {
            name.removeprefix(ALIVE): lease.live_at(now) for name, lease in (await self.keeper.others(ALIVE)).items()
        }

    # Singletons ----------------------------------------------------------------------------------

    async def singleton(self, job: str, on_change: Callable[[bool], Awaitable[None]]) -> None:
        """Run `job` in one process at a time: `on_change(True)` when this process takes it, (False) if lost.

        Tried at once, then at every heartbeat: a waiting process is the hot standby."""
        self.keeper.want(SINGLETON + job, on_change)
        if self.running:
            await self.keeper.beat()

    async def leave(self, job: str) -> None:
        """Stop running or waiting for a singleton (its cog unloads); another process takes it at once."""
        await self.keeper.unwant(SINGLETON + job)

    def holds(self, job: str) -> bool:
        return self.keeper.holds(SINGLETON + job)

    async def once(self, job: str) -> bool:
        """Whether this process should do a start-up job now: False while another process is doing it."""
        return await self.keeper.store.take(name=ONCE + job, owner=self.process, now=self.clock(), ttl=ONCE_TTL)

    async def done(self, job: str) -> None:
        await self.keeper.store.release(name=ONCE + job, owner=self.process)

    # SHARD_IDS=auto and IDENTIFY ------------------------------------------------------------------

    async def claim_shards(self, limit: int) -> frozenset[int]:
        """Take up to `limit` free shards (never run, released, or expired); wait while there is none."""
        store, taken = self.keeper.store, set[int]()
        waited = False
        while True:
            for shard in range(self.shards.count):
                if len(taken) >= limit:
                    break
                now = self.clock()
                if await store.take(name=SHARD + str(shard), owner=self.process, now=now, ttl=self.keeper.ttl):
                    taken.add(shard)
            if taken:
                self.shards.take(taken)
                log.info("Running shards %s of %d", sorted(taken), self.shards.count)
                return frozenset(taken)
            if not waited:
                log.info("Every shard is taken: waiting as a hot standby for one whose process stops")
                waited = True
            await asyncio.sleep(self.keeper.every_s)

    async def identify_turn(self, shard: int, concurrency: int) -> None:
        """Wait until this shard's bucket may IDENTIFY, then hold the bucket for IDENTIFY_SPACING."""
        name, owner = f"{IDENTIFY}{shard % max(concurrency, 1)}", f"{self.process}|{shard}"
        while True:
            if await self.keeper.store.take(name=name, owner=owner, now=self.clock(), ttl=IDENTIFY_SPACING):
                return
            await asyncio.sleep(1.0)
