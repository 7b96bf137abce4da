"""Running one batch: its servers a page at a time, a bounded number of posts at once, each decided as made.

Memory and event-loop time stay flat in the number of servers: a page of subscriptions (keyset by guild
id, enabled only, then this process's guilds only) becomes deliveries, the ledger drops the keys it
already has, and the rest go through a small queue to FAN_OUT_TASKS workers. The pace is the limiter's
(every request waits its turn there); the workers only bound how many posts are in flight.
Each post re-reads its subscription and the clock first: a subscription disabled a moment ago is not
posted to, and "late"/"missed" follow the time the post is actually made, not when the batch started.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

from bot.alerts.batches import Batch, delivery_for, post_decision
from bot.alerts.planner import ON_TIME_SLACK, Delay, PlannedDelivery
from bot.alerts.retry import retry_locked
from bot.alerts.sender import AlertSender, Outcome
from bot.embeds.alerts import AlertMessage
from db.repos.alert_pages import PAGE_SIZE, AlertPageStore
from db.repos.spoilers import SpoilerStore

log = logging.getLogger(__name__)

FAN_OUT_TASKS = 16  # posts in flight at once; the limiter sets the pace

# A delivery, the role to ping, and why it is late (None: on time) → the message to post.
MessageBuilder = Callable[[PlannedDelivery, "int | None", "Delay | None"], Awaitable[AlertMessage]]


@dataclass
class BatchReport:
    """What one run of a batch did (bench/ and on_race_official's answer)."""

    outcomes: list[Outcome] = field(default_factory=list)
    pages: int = 0
    considered: int = 0
    failed: int = 0  # posts that raised: the batch is run again at the next re-plan


class FanOut:
    def __init__(
        self,
        *,
        pages: AlertPageStore,
        spoilers: SpoilerStore,
        sender: AlertSender,
        clock: Callable[[], dt.datetime],
        is_ours: Callable[[int], bool],
        message: MessageBuilder,
        workers: int = FAN_OUT_TASKS,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._pages, self._spoilers, self._sender = pages, spoilers, sender
        self._clock, self._is_ours, self._message = clock, is_ours, message
        self.workers, self.page_size = workers, page_size

    async def run(self, batch: Batch) -> BatchReport:
        report = BatchReport()
        # A batch that began on time and still posts late was slowed by its own size (the rate limit), not by
        # the bot being down: the late and missed wording says which.
        delay: Delay = "busy" if self._clock() - batch.fire_at <= ON_TIME_SLACK else "offline"
        queue: asyncio.Queue[PlannedDelivery | None] = asyncio.Queue(maxsize=self.workers * 2)
        workers = [asyncio.create_task(self._work(queue, report, delay)) for _ in range(self.workers)]
        try:
            async for delivery in self._deliveries(batch, report):
                await queue.put(delivery)
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
        return report

    async def _deliveries(self, batch: Batch, report: BatchReport) -> AsyncIterator[PlannedDelivery]:
        after: int | None = None
        while True:
            read = partial(
                self._pages.subscription_page, series=batch.race.series, after_guild_id=after, limit=self.page_size
            )
            page = await retry_locked(read, what="reading subscriptions")
            if not page:
                return
            report.pages += 1
            after = page[-1].guild_id
            ours = [s for s in page if self._is_ours(s.guild_id)]
            if batch.kind == "results" and ours:
                # Each server's results wait its own delay: this batch is the servers with its delay.
                settings = await self._spoilers.settings_for(guild_ids=(s.guild_id for s in ours))
                ours = [s for s in ours if settings[s.guild_id].results_delay_h == batch.delay_h]
            planned = [d for s in ours if (d := delivery_for(batch, s))]
            report.considered += len(planned)
            existing = await self._pages.existing_keys(keys=[d.key for d in planned]) if planned else set()
            for delivery in planned:
                if delivery.key not in existing:
                    yield delivery
            if len(page) < self.page_size:
                return
            await asyncio.sleep(0)  # a page at a time: let interactions in between

    async def _work(self, queue: asyncio.Queue[PlannedDelivery | None], report: BatchReport, delay: Delay) -> None:
        while (delivery := await queue.get()) is not None:
            try:
                outcome = await self.post(delivery, delay)
            except Exception:
                # One bad post must not stop the rest of the batch; its claim (if any) is left to the
                # stale-claim policy, and the batch is not marked done, so the next re-plan runs it again.
                log.exception("Alert %s failed; the rest of the fan-out continues", delivery.key)
                report.failed += 1
                continue
            if outcome is not None:
                report.outcomes.append(outcome)

    async def post(self, delivery: PlannedDelivery, delay: Delay = "offline") -> Outcome | None:
        """Decide with the subscription and clock as they are now, claim once, post (`delay`: why if late)."""

        async def decide_and_claim() -> tuple[bool, bool, int | None, dt.datetime | None]:
            sub = await self._pages.active_subscription(
                guild_id=delivery.guild_id, series=delivery.series, channel_id=delivery.channel_id
            )
            decision, reason = post_decision(delivery, sub, self._clock(), delay=delay)
            if decision == "skip":
                return False, False, None, None
            if decision == "missed":
                await self._sender.record_missed(delivery, reason)
                return False, False, None, None
            assert sub is not None
            return await self._sender.claim(delivery), decision == "late", sub.role_id, sub.updated_at

        # A locked database is retried within seconds, and the decision is made again each time, so a
        # short-lead reminder is still posted (on time) if the lock clears within its window.
        claimed, late, role_id, configured_at = await retry_locked(decide_and_claim, what="claiming an alert")
        if not claimed:
            return None
        message = await self._message(delivery, role_id, delay if late and delivery.kind == "reminder" else None)
        return await self._sender.send_claimed(
            delivery.key, delivery.guild_id, delivery.channel_id, message, late=late, configured_at=configured_at
        )
