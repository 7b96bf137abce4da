"""The feed sync while the bot runs (FEED_SYNC on): schedule daily, results polled after a start until official.

A race turning official calls `on_official(race_id)` — the results-alerts hook. The loop is a plain
asyncio task; one `tick()` does one round, so tests drive it without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from db.feed.sync import FeedSync, SyncReport
from db.meta import SqliteMeta
from db.rows import parse_utc, to_utc_text

log = logging.getLogger(__name__)

OnOfficial = Callable[[int], Awaitable[None]]
SCHEDULE_STATE_KEY = "feed_sync:schedule_refreshed_at"
SCHEDULE_EVERY = dt.timedelta(days=1)
POLL_EVERY_S = 300.0


@dataclass
class TickReport:
    schedule_refreshed: bool = False
    polled: list[int] = field(default_factory=list)
    turned_official: list[int] = field(default_factory=list)


class FeedSyncLoop:
    def __init__(
        self,
        sync: FeedSync,
        meta: SqliteMeta,
        *,
        on_official: OnOfficial | None = None,
        series: str | None = None,
        poll_every_s: float = POLL_EVERY_S,
    ) -> None:
        self.sync = sync
        self.meta = meta
        self.on_official = on_official
        self.series = series
        self.poll_every_s = poll_every_s
        self._task: asyncio.Task[None] | None = None

    async def schedule_due(self, now: dt.datetime) -> bool:
        last = parse_utc(await self.meta.get_state(key=SCHEDULE_STATE_KEY))
        return last is None or now - last >= SCHEDULE_EVERY

    async def tick(self) -> TickReport:
        """One round: refresh the schedule when a day has passed, then poll races awaiting official results."""
        report = TickReport()
        now = self.sync.clock()
        if await self.schedule_due(now):
            # Next season's schedule is announced in the autumn: pick it up from November on.
            for season in (now.year, now.year + 1) if now.month >= 11 else (now.year,):
                await self.sync.sync_schedule(season, self.series)
            await self.meta.set_state(key=SCHEDULE_STATE_KEY, value=to_utc_text(now))
            report.schedule_refreshed = True
        for target in await self.sync.races_to_poll():
            outcome = await self.sync.sync_results(target, SyncReport())
            report.polled.append(target.race_id)
            if outcome is not None and outcome.turned_official:
                report.turned_official.append(target.race_id)
                await self._announce(target.race_id)
        return report

    async def _announce(self, race_id: int) -> None:
        if self.on_official is None:
            return
        try:
            await self.on_official(race_id)
        except Exception:
            # Alerts failing must not stop the sync; the alerts side logs its own details too.
            log.exception("Results hook failed for race %d", race_id)

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Feed sync round failed; retrying in %.0f s", self.poll_every_s)
            await asyncio.sleep(self.poll_every_s)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="feed-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
