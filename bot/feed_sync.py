"""The feed sync while the bot runs (FEED_SYNC on): schedule daily, results polled after a start until official.

Points follow the results: each poll of a race being run stores its live points; when it turns
official, the season's official points are read (again on the next rounds, for up to an hour, until
NASCAR's final points feed stands after that race), and the daily round reads them too. A race turning
official then calls `on_official(race_id)` — the results-alerts hook. A points feed failing never
stops the results or the hook. The loop is a plain asyncio task; one `tick()` does one round, so tests
drive it without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from db.importers.feed.points_sync import PointsSyncReport, sync_live_points, sync_official_points_after, sync_points
from db.importers.feed.sync import FeedSync, SyncReport
from db.models import Series
from db.repos.meta import MetaStore
from db.repos.rows import parse_utc, to_utc_text

log = logging.getLogger(__name__)

OnOfficial = Callable[[int], Awaitable[None]]
PointsStep = Callable[..., Awaitable[PointsSyncReport]]
SCHEDULE_STATE_KEY = "feed_sync:schedule_refreshed_at"
SCHEDULE_EVERY = dt.timedelta(days=1)
POLL_EVERY_S = 300.0
OFFICIAL_POINTS_TRIES = 12  # rounds (an hour at the default pace) before the daily round takes over
ALL_SERIES: tuple[Series, ...] = ("cup", "xfinity", "truck")


@dataclass
class TickReport:
    schedule_refreshed: bool = False
    polled: list[int] = field(default_factory=list)
    turned_official: list[int] = field(default_factory=list)
    points: list[str] = field(default_factory=list)  # standings stored this round


class FeedSyncLoop:
    def __init__(
        self,
        sync: FeedSync,
        meta: MetaStore,
        *,
        on_official: OnOfficial | None = None,
        series: Series | None = None,
        poll_every_s: float = POLL_EVERY_S,
    ) -> None:
        self.sync = sync
        self.meta = meta
        self.on_official = on_official
        self.series = series
        self.poll_every_s = poll_every_s
        self._task: asyncio.Task[None] | None = None
        self._official_points_due: dict[int, int] = {}  # feed race id → rounds left to wait for its points

    async def schedule_due(self, now: dt.datetime) -> bool:
        last = parse_utc(await self.meta.get_state(key=SCHEDULE_STATE_KEY))
        return last is None or now - last >= SCHEDULE_EVERY

    async def tick(self) -> TickReport:
        """One round: the schedule (and official points) once a day, then the races awaiting official results."""
        report = TickReport()
        now = self.sync.clock()
        if await self.schedule_due(now):
            # Next season's schedule is announced in the autumn: pick it up from November on.
            for season in (now.year, now.year + 1) if now.month >= 11 else (now.year,):
                await self.sync.sync_schedule(season, self.series)
            for series in (self.series,) if self.series else ALL_SERIES:
                await self._points(report, sync_points, series=series, season=now.year)
            await self.meta.set_state(key=SCHEDULE_STATE_KEY, value=to_utc_text(now))
            report.schedule_refreshed = True
        checked: set[int] = set()
        for target in await self.sync.races_to_poll():
            outcome = await self.sync.sync_results(target, SyncReport())
            report.polled.append(target.race_id)
            if outcome is not None and outcome.turned_official:
                report.turned_official.append(target.race_id)
                # Official points before the hook, so whatever it posts sees the standings after this race.
                self._official_points_due[target.feed_race_id] = OFFICIAL_POINTS_TRIES
                await self._official_points(report, target.feed_race_id)
                checked.add(target.feed_race_id)
                await self._announce(target.race_id)
            else:
                await self._points(report, sync_live_points, feed_race_id=target.feed_race_id)
        for feed_race_id in [f for f in self._official_points_due if f not in checked]:
            await self._official_points(report, feed_race_id)
        return report

    async def _official_points(self, report: TickReport, feed_race_id: int) -> None:
        found = await self._points(report, sync_official_points_after, feed_race_id=feed_race_id)
        left = self._official_points_due.get(feed_race_id, 1) - 1
        if (found is not None and found.caught_up) or left <= 0:
            self._official_points_due.pop(feed_race_id, None)
        else:
            self._official_points_due[feed_race_id] = left

    async def _points(self, report: TickReport, step: PointsStep, **what: Any) -> PointsSyncReport | None:
        try:
            found = await step(
                self.sync.db, self.sync.fetch, base_url=self.sync.base_url, clock=self.sync.clock, **what
            )
        except Exception:
            # Standings are worth less than results and their alerts: log, and try again next round.
            log.exception("Points sync failed (%s)", what)
            return None
        report.points += found.stored
        return found

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

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="feed-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
