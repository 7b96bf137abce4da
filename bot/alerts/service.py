"""The alert service: feeds the planner, keeps one APScheduler date job per reminder, resolves stale claims.

The database is the truth. Jobs live in memory only and are rebuilt from the database at startup,
every REPLAN_EVERY, and after every change (`/alerts` commands, data loads, a race turning official).

Stale-claim policy (a ledger row left 'claimed' because the bot stopped between claim and mark). A
claim names its holder (bot/alerts/owner.py): a claim whose holder still runs (another process on this
database) is never touched; a dead holder's claim is taken over at once, atomically; a holder on another
host counts as gone once its claim is older than STALE_AFTER. Then:
1. If the post is in the channel (our message whose footer carries the delivery's reference, among the
   last 100), mark it sent — the crash came after Discord accepted it.
2. Otherwise, if it is no longer useful (a reminder past the catch-up rule, a notice for a race that has
   started or moved, a result older than a day), record it as missed.
3. Otherwise, if we cannot read the channel history and the claim is older than NONCE_WINDOW, record it
   as failed with "outcome unknown" rather than risk a second post.
4. Otherwise post it again with the same nonce (Discord drops a duplicate inside its dedup window).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from bot.alerts.clocked import ClockedScheduler
from bot.alerts.leads import format_lead
from bot.alerts.limiter import DISCORD_GLOBAL_RATE, Limiter, TokenBucket, Unlimited
from bot.alerts.owner import new_owner, owner_alive, release_owner
from bot.alerts.planner import (
    HORIZON,
    LOOKBACK,
    ON_TIME_SLACK,
    PlannedDelivery,
    catch_up,
    delivery_key,
    newly_official,
    plan_change_notices,
    plan_reminders,
    plan_results_alerts,
    reminder_decision,
)
from bot.alerts.sender import AlertSender, Outcome
from bot.embeds.alerts import AlertMessage, change_message, reminder_message, results_message
from bot.embeds.results import result_embed
from bot.pacing import RestGate
from db.alerts import AlertSubscription, Delivery, RaceWatch
from db.models import RaceSummary

log = logging.getLogger(__name__)

REPLAN_EVERY = dt.timedelta(minutes=5)
STALE_AFTER = dt.timedelta(minutes=2)  # a claim this old with no task sending it was left by a crash
NONCE_WINDOW = dt.timedelta(minutes=2)  # how long we trust Discord's nonce dedup (undocumented; conservative)
RESULTS_USEFUL_FOR = dt.timedelta(days=1)
MISFIRE_GRACE_S = 15 * 60  # APScheduler hands us a job up to this late; our catch-up rule decides what to do
FAN_OUT_TASKS = 16  # concurrent posts; the limiter sets the pace
MAX_LEAD = dt.timedelta(days=7)
REPLAN_JOB = "alerts:replan"


class AlertService:
    def __init__(self, bot: Any, *, limiter: Limiter | None = None) -> None:
        self.bot = bot
        self.clock = bot.clock
        self.alerts = bot.store.alerts
        self.scheduler = ClockedScheduler(bot.clock)
        # The real bot paces every REST request, retries included, where it leaves (its RestGate, bot/pacing.py):
        # a second budget here would only slow the fan-out. A bot without a gate (benchmark fakes that bypass
        # discord.py) keeps the old bucket, its burst what 50/s leaves over SEND_RATE.
        if limiter is None and not isinstance(getattr(bot, "rest_gate", None), RestGate):
            rate = bot.settings.send_rate
            limiter = TokenBucket(rate, burst=max(1.0, DISCORD_GLOBAL_RATE - rate))
        pace = limiter or Unlimited()
        self.owner = new_owner()
        self.sender = AlertSender(bot, self.alerts, pace, bot.clock, owner=self.owner)
        self._planned: dict[str, PlannedDelivery] = {}
        self._subs: dict[tuple[int, str], AlertSubscription] = {}
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()

    # Lifecycle -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self.scheduler.start()
        # Every claim made before this process started was left by one that stopped. claimed_at is stored
        # to the second, so "before now" would skip claims from this very second (a crash and a quick
        # restart, found by tests/faults) until the periodic check minutes later: include that second.
        await self.replan(resolve_stale=True, stale_before=self.clock() + dt.timedelta(seconds=1))

    def stop(self) -> None:
        release_owner(self.owner)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in self._tasks:
            task.cancel()

    async def wait_idle(self) -> None:
        """Wait for the posts started by replans (tests; clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # Planning ------------------------------------------------------------------------------------

    async def replan(self, *, resolve_stale: bool = False, stale_before: dt.datetime | None = None) -> None:
        """Rebuild the jobs from the database; claim and post whatever is due now."""
        async with self._lock:
            now = self.clock()
            subs = [s for s in await self.alerts.subscriptions() if self._is_ours(s.guild_id)]
            self._subs = {(s.guild_id, s.series): s for s in subs}
            races = await self.bot.store.schedule.races_starting_between(start=now - LOOKBACK, end=now + HORIZON)
            if resolve_stale:
                await self._resolve_stale(stale_before or now - STALE_AFTER, races, now)
            ledger = await self.alerts.ledger_keys(since=now - LOOKBACK - MAX_LEAD)
            watch = await self.alerts.race_watch(race_ids=(r.id for r in races))
            immediate = plan_change_notices(races, watch, subs, ledger, now)
            for race in newly_official(races, watch):
                immediate += plan_results_alerts(race, subs, ledger, now)
            plan = plan_reminders(races, subs, ledger, now)
            for missed in plan.missed:
                await self.sender.record_missed(missed.delivery, missed.reason)
            # Claim before recording what we saw, so a crash in between leaves a claim, not a lost notice.
            claimed = [d for d in (*plan.due, *immediate) if await self.sender.claim(d)]
            await self.alerts.save_race_watch(
                seen=(RaceWatch(race_id=r.id, start_utc=r.start_utc, status=r.status) for r in races), now=now
            )
            self._schedule(plan.scheduled, now)
            if claimed:
                self._spawn(self._post_all(claimed, now))

    def request_replan(self) -> None:
        """Re-plan soon, from any context (after a data load or a settings change)."""
        self._spawn(self.replan())

    def _schedule(self, deliveries: Sequence[PlannedDelivery], now: dt.datetime) -> None:
        self._planned = {d.key: d for d in deliveries}
        for job in self.scheduler.get_jobs():
            if job.id != REPLAN_JOB and job.id not in self._planned:
                job.remove()
        for delivery in deliveries:
            if self.scheduler.get_job(delivery.key) is None:
                self.scheduler.add_job(
                    self._fire,
                    "date",
                    run_date=delivery.fire_at,
                    args=(delivery.key,),
                    id=delivery.key,
                    misfire_grace_time=MISFIRE_GRACE_S,
                    coalesce=True,
                )
        self.scheduler.add_job(
            self._periodic,
            "date",
            run_date=now + REPLAN_EVERY,
            id=REPLAN_JOB,
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_S,
        )

    async def _periodic(self) -> None:
        await self.replan(resolve_stale=True)

    def upcoming(self, guild_id: int, limit: int = 5) -> list[tuple[dt.datetime, str]]:
        """The next planned reminders of a guild, for /alerts setup and status."""
        mine = sorted((d for d in self._planned.values() if d.guild_id == guild_id), key=lambda d: (d.fire_at, d.key))
        return [(d.fire_at, f"{format_lead(d.lead_min)} before {d.race.name}") for d in mine[:limit]]

    # Sending -------------------------------------------------------------------------------------

    async def _fire(self, key: str) -> None:
        """A reminder's job: decide again with the current settings and clock, then post once."""
        delivery = self._planned.pop(key, None)
        if delivery is None:
            return
        now = self.clock()
        subscription = self._subs.get((delivery.guild_id, delivery.series))
        decision, reason = reminder_decision(delivery, subscription, now)
        if decision == "wait":
            return
        if decision == "missed":
            await self.sender.record_missed(delivery, reason)
            return
        assert subscription is not None
        if await self.sender.claim(delivery):
            message = await self._message(delivery, subscription.role_id, late=decision == "late")
            await self.sender.send_claimed(
                delivery.key, delivery.guild_id, delivery.channel_id, message, late=decision == "late"
            )

    async def _post_all(self, claimed: Iterable[PlannedDelivery], now: dt.datetime) -> list[Outcome]:
        gate = asyncio.Semaphore(FAN_OUT_TASKS)

        async def post(delivery: PlannedDelivery) -> Outcome:
            async with gate:
                late = delivery.kind == "reminder" and now - delivery.fire_at > ON_TIME_SLACK
                message = await self._message(delivery, delivery.role_id, late=late)
                return await self.sender.send_claimed(
                    delivery.key, delivery.guild_id, delivery.channel_id, message, late=late
                )

        return list(await asyncio.gather(*(post(d) for d in claimed)))

    async def _message(self, delivery: PlannedDelivery, role_id: int | None, *, late: bool) -> AlertMessage:
        race, nonce = delivery.race, delivery.nonce
        if delivery.kind == "reminder":
            return reminder_message(race, lead_min=delivery.lead_min, role_id=role_id, late=late, nonce=nonce)
        if delivery.kind == "changes":
            return change_message(race, previous_start=delivery.previous_start, role_id=role_id, nonce=nonce)
        result = await self.bot.store.races.race_result(race_id=race.id)
        full = result_embed(result) if result is not None else None
        return results_message(race, result, role_id=role_id, nonce=nonce, full=full)

    async def on_race_official(self, race_id: int) -> list[Outcome]:
        """Hook for the feed sync: post the official result to every subscribed channel, once each."""
        race = await self.bot.store.races.race_summary(race_id=race_id)
        if race is None or race.status != "official":
            return []
        now = self.clock()
        subs = [s for s in await self.alerts.subscriptions() if self._is_ours(s.guild_id)]
        claimed = [d for d in plan_results_alerts(race, subs, set(), now) if await self.sender.claim(d)]
        await self.alerts.save_race_watch(
            seen=[RaceWatch(race_id=race.id, start_utc=race.start_utc, status=race.status)], now=now
        )
        return await self._post_all(claimed, now)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _is_ours(self, guild_id: int) -> bool:
        # Each shard process sees only its guilds; the ledger would stop doubles anyway.
        return self.bot.get_guild(guild_id) is not None

    # Stale claims --------------------------------------------------------------------------------

    async def _resolve_stale(self, before: dt.datetime, races: Sequence[RaceSummary], now: dt.datetime) -> None:
        by_id = {r.id: r for r in races}
        for claim in await self.alerts.claims_before(before=before):
            if claim.key in self.sender.in_flight or not self._is_ours(claim.guild_id):
                continue
            # Our own claim with no task on it was given up after retries: resolve it. A live holder in
            # another process is still posting its claim; on another host, where liveness can't be
            # seen, only a claim older than STALE_AFTER counts as abandoned.
            alive = owner_alive(claim.owner)
            if claim.owner != self.owner and (alive or (alive is None and now - claim.claimed_at < STALE_AFTER)):
                continue
            race = by_id.get(claim.race_id) or await self.bot.store.races.race_summary(race_id=claim.race_id)
            await self._resolve_claim(claim, race, now)

    async def _resolve_claim(self, claim: Delivery, race: RaceSummary | None, now: dt.datetime) -> None:
        posted = await self.sender.find_posted(claim)
        if posted is not None:
            await self.alerts.mark_sent(
                key=claim.key, message_id=posted, late=False, now=now, detail="found in the channel after a restart"
            )
            return
        subscription = self._subs.get((claim.guild_id, race.series)) if race else None
        if race is None or subscription is None or subscription.disabled_reason or not _still_useful(claim, race, now):
            await self.alerts.mark_missed(
                key=claim.key, detail="the bot stopped while posting; too late to post now", now=now
            )
            return
        if now - claim.claimed_at > NONCE_WINDOW and not await self.sender.can_read_history(claim.channel_id):
            await self.alerts.mark_failed(
                key=claim.key,
                detail="outcome unknown: the bot stopped while posting and cannot check the channel",
                now=now,
            )
            return
        delivery = PlannedDelivery(
            key=claim.key,
            kind=claim.kind,
            race=race,
            guild_id=claim.guild_id,
            channel_id=claim.channel_id,
            role_id=subscription.role_id,
            series=race.series,
            lead_min=claim.lead_min or 0,
            fire_at=claim.fire_at,
        )
        if not await self.alerts.adopt_claim(key=claim.key, previous=claim.owner, owner=self.owner):
            return  # another process took it over first
        late = now - claim.fire_at > ON_TIME_SLACK
        message = await self._message(delivery, subscription.role_id, late=late)
        await self.sender.send_claimed(claim.key, claim.guild_id, claim.channel_id, message, late=late)


def _still_useful(claim: Delivery, race: RaceSummary, now: dt.datetime) -> bool:
    """The catch-up rule applied to a claim left behind; a race that moved since makes it obsolete."""
    if claim.kind == "results":
        return now - claim.fire_at < RESULTS_USEFUL_FOR
    lead = claim.lead_min or 0
    if race.start_utc is None or claim.key != delivery_key(
        claim.kind, race.id, race.start_utc, claim.guild_id, claim.channel_id, lead
    ):
        return False
    if claim.kind == "changes":
        return now < race.start_utc
    return catch_up(fire_at=claim.fire_at, race_start=race.start_utc, lead_min=lead, now=now) in ("on_time", "late")
