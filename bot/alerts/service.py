"""The alert service: plans one APScheduler date job per batch — (kind, race, start, lead) — and runs them.

The database is the truth. Jobs live in memory only and are rebuilt from the database at startup,
every REPLAN_EVERY, and after every change (`/alerts` commands, data loads, a race turning official).
A batch's servers are worked through a page at a time when it runs (bot/alerts/fanout.py), so planning
costs the same for ten servers or 100,000: a job per race and lead, never a job per server.
A batch whose time passed while the bot was down runs at start-up; its posts are each decided then
(late while useful, else recorded missed). Claims left by a crash follow bot/alerts/stale.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass

from bot.alerts.batches import (
    RESULTS_USEFUL_FOR,
    Batch,
    change_batches,
    notice_batches,
    reminder_batches,
    results_batches,
    seen_changes,
    watch_of,
)
from bot.alerts.channels import AlertChannels
from bot.alerts.clocked import ClockedScheduler
from bot.alerts.fanout import FanOut
from bot.alerts.limiter import Limiter
from bot.alerts.owner import Peers, new_owner, release_owner
from bot.alerts.planner import HORIZON, LOOKBACK, Delay, PlannedDelivery, newly_official
from bot.alerts.retry import retry_locked
from bot.alerts.sender import AlertSender, Outcome
from bot.alerts.stale import STALE_AFTER, StaleClaims
from bot.alerts.upcoming import upcoming_reminders
from bot.clock import Clock
from bot.embeds.alerts import AlertMessage, change_message, reminder_message, results_message
from bot.embeds.results import result_embed
from db.models import RaceSummary
from db.repos.alerts import AlertStore
from db.repos.races import RaceStore
from db.repos.schedule import ScheduleStore
from db.repos.spoilers import MAX_DELAY_H, SpoilerStore
from db.store import Store

log = logging.getLogger(__name__)

REPLAN_EVERY = dt.timedelta(minutes=5)
MISFIRE_GRACE_S = 15 * 60  # APScheduler hands us a job up to this late; each post decides what to do
REPLAN_JOB = "alerts:replan"
OFFICIAL_LOOKBACK = RESULTS_USEFUL_FOR + dt.timedelta(hours=MAX_DELAY_H)


@dataclass(frozen=True)
class AlertStores:
    """The store areas the alert engine reads and writes, and nothing else of the store."""

    alerts: AlertStore
    races: RaceStore
    schedule: ScheduleStore
    spoilers: SpoilerStore

    @classmethod
    def of(cls, store: Store) -> AlertStores:
        return cls(alerts=store.alerts, races=store.races, schedule=store.schedule, spoilers=store.spoilers)


class AlertService:
    def __init__(
        self,
        *,
        stores: AlertStores,
        channels: AlertChannels,
        clock: Clock,
        is_ours: Callable[[int], bool],
        pace: Limiter,
        peers: Peers | None = None,
    ) -> None:
        """`is_ours` says which servers this process posts to (its shards); `pace` is waited on before each
        post (the bot passes Unlimited: its RestGate, bot/pacing.py, paces every request where it leaves);
        `peers` (bot/cluster.py) grows `is_ours` by a dead process's shards and tells live claim holders."""
        self.clock = clock
        self.stores = stores
        self.alerts = stores.alerts
        self.scheduler = ClockedScheduler(clock)
        self._is_ours = is_ours
        self._peers = peers
        self.owner = new_owner()
        self.sender = AlertSender(channels, self.alerts, pace, clock, owner=self.owner)
        self.fanout = FanOut(
            pages=self.alerts,
            spoilers=stores.spoilers,
            sender=self.sender,
            clock=clock,
            is_ours=self._is_ours,
            message=self._message,
        )
        self.stale = StaleClaims(
            alerts=self.alerts,
            pages=self.alerts,
            sender=self.sender,
            is_ours=self._is_ours,
            race=self._race,
            message=self._message,
        )
        self._batches: dict[str, Batch] = {}  # planned for later, by job id
        self._running: set[str] = set()
        self._done: set[str] = set()  # batches run to the end in this process: never again
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[object]] = set()

    # Lifecycle -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self.scheduler.start()
        # Every claim made before this process started was left by one that stopped. claimed_at is stored
        # to the second, so "before now" would skip claims from this very second (a crash and a quick
        # restart, found by tests/faults) until the periodic check minutes later: include that second.
        await self.replan(resolve_stale=True, stale_before=self.clock() + dt.timedelta(seconds=1), retry=True)

    def stop(self) -> None:
        release_owner(self.owner)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in self._tasks:
            task.cancel()

    async def wait_idle(self) -> None:
        """Wait for the batches started by replans (tests; clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # Planning ------------------------------------------------------------------------------------

    async def replan(
        self, *, resolve_stale: bool = False, stale_before: dt.datetime | None = None, retry: bool = False
    ) -> None:
        """Rebuild the jobs from the database; start the batches that are due now.

        With `retry`, a locked database is retried within seconds (background re-plans); without it the
        error reaches the caller (a command, whose answer says "try again" within Discord's 3 s)."""
        async with self._lock:
            if retry:
                await retry_locked(lambda: self._replan(resolve_stale, stale_before), what="planning alerts")
            else:
                await self._replan(resolve_stale, stale_before)

    def replan_soon(self) -> None:
        """Re-plan in the background, a locked database retried: for a command whose own write is saved, so
        its answer never waits on writes that can meet another process's lock (issue 17)."""
        self._spawn(self._replan_logged())

    async def _replan_logged(self) -> None:
        try:
            await self.replan(retry=True)
        except Exception:
            log.exception("Re-planning alerts after a command failed; the periodic re-plan tries again")

    async def _replan(self, resolve_stale: bool, stale_before: dt.datetime | None) -> None:
        now = self.clock()
        races = await self.stores.schedule.races_starting_between(start=now - LOOKBACK, end=now + HORIZON)
        if self._peers is not None and await self._peers.refresh():
            # Shards adopted from a dead process or given back: resolve its claims now, re-run done batches.
            self._done.clear()
            resolve_stale, stale_before = True, now + dt.timedelta(seconds=1)
        if resolve_stale:
            alive = await self._peers.liveness() if self._peers is not None else None
            await self.stale.resolve(stale_before or now - STALE_AFTER, races, now, alive)
        ids = [r.id for r in races]
        watch = await self.alerts.race_watch(race_ids=ids)
        moved = seen_changes(change_batches(races, watch, now), now)
        for race in newly_official(races, watch):
            await self.alerts.mark_official(race_id=race.id, at=now)
        # A move is recorded once, with the watch that stops it being seen again; the notices are planned
        # from what is recorded, so each process tells its own servers (a crash in between replans them,
        # and the ledger keeps each notice to one post).
        await self.alerts.save_race_watch(seen=(watch_of(r) for r in races), now=now, changes=moved)
        batches = notice_batches(races, await self.alerts.start_changes(race_ids=ids), now)
        batches += reminder_batches(races, await self.alerts.subscribed_leads())
        batches += await self._results_batches(now, {r.id: r for r in races})
        self._schedule(batches, now)

    async def _results_batches(self, now: dt.datetime, known: dict[int, RaceSummary]) -> list[Batch]:
        officials = await self.alerts.official_since(since=now - OFFICIAL_LOOKBACK)
        if not officials:
            return []
        delays = await self.stores.spoilers.results_delays()
        out = []
        for race_id, official_at in officials.items():
            race = known.get(race_id) or await self._race(race_id)
            if race is not None and race.status == "official":
                out += results_batches(race, official_at, delays, now)
        return out

    def _schedule(self, batches: Iterable[Batch], now: dt.datetime) -> None:
        later = {b.id: b for b in batches if b.fire_at > now}
        due = [b for b in batches if b.fire_at <= now]
        self._batches = later
        for job in self.scheduler.get_jobs():
            if job.id != REPLAN_JOB and job.id not in later:
                job.remove()
        for batch in later.values():
            self._add_job(batch)
        for batch in due:
            self._spawn(self.run_batch(batch))
        self.scheduler.add_job(
            self._periodic,
            "date",
            run_date=now + REPLAN_EVERY,
            id=REPLAN_JOB,
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_S,
        )

    def _add_job(self, batch: Batch) -> None:
        if self.scheduler.get_job(batch.id) is None:
            self.scheduler.add_job(
                self._fire,
                "date",
                run_date=batch.fire_at,
                args=(batch.id,),
                id=batch.id,
                misfire_grace_time=MISFIRE_GRACE_S,
                coalesce=True,
            )

    async def _periodic(self) -> None:
        await self.replan(resolve_stale=True, retry=True)

    async def upcoming(self, guild_id: int, limit: int = 5) -> list[tuple[dt.datetime, str]]:
        """The next reminders of a guild, for /alerts setup and status (bot/alerts/upcoming.py)."""
        return await upcoming_reminders(self.alerts, self.stores.schedule, guild_id, self.clock(), limit)

    # Running batches -----------------------------------------------------------------------------

    async def _fire(self, batch_id: str) -> None:
        batch = self._batches.get(batch_id)
        if batch is not None:
            await self.run_batch(batch)

    async def run_batch(self, batch: Batch) -> list[Outcome]:
        """Work through one batch's servers, once per process (the ledger stops doubles across them)."""
        if batch.id in self._running or batch.id in self._done:
            return []
        self._running.add(batch.id)
        try:
            report = await self.fanout.run(batch)
            if report.failed:
                return report.outcomes  # not done: the next re-plan runs it again (the ledger skips the rest)
            self._done.add(batch.id)
            return report.outcomes
        finally:
            self._running.discard(batch.id)

    async def _message(self, delivery: PlannedDelivery, role_id: int | None, late: Delay | None) -> AlertMessage:
        race, nonce = delivery.race, delivery.nonce
        if delivery.kind == "reminder":
            assert delivery.lead is not None, "a reminder has a lead"
            return reminder_message(race, lead=delivery.lead, role_id=role_id, late=late, nonce=nonce)
        if delivery.kind == "changes":
            return change_message(race, previous_start=delivery.previous_start, role_id=role_id, nonce=nonce)
        result = await self.stores.races.race_result(race_id=race.id)
        hidden = (await self.stores.spoilers.get_settings(guild_id=delivery.guild_id)).hide_results
        full = result_embed(result) if result is not None else None
        return results_message(race, result, role_id=role_id, nonce=nonce, full=full, spoiler_safe=hidden)

    async def on_race_official(self, race_id: int) -> list[Outcome]:
        """Hook for the feed sync: post the official result to every subscribed channel, once each.

        Servers with a results delay get theirs that many hours after this moment, which is stored, so
        the delay survives a restart."""
        race = await self._race(race_id)
        if race is None or race.status != "official":
            return []
        now = self.clock()
        official_at = await retry_locked(
            lambda: self.alerts.mark_official(race_id=race.id, at=now), what="recording an official race"
        )
        outcomes: list[Outcome] = []
        for batch in results_batches(race, official_at, await self.stores.spoilers.results_delays(), now):
            if batch.fire_at <= now:
                outcomes += await self.run_batch(batch)
            else:
                self._batches[batch.id] = batch
                self._add_job(batch)
        return outcomes

    async def _race(self, race_id: int) -> RaceSummary | None:
        return await self.stores.races.race_summary(race_id=race_id)

    def _spawn(self, coro: Coroutine[object, None, object]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
