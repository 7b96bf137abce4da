"""Sync the store with the feed: season race list → schedule, then each run race's weekend feed → results.

Each race is written in its own transaction, so a failure part-way keeps what was already synced.
Every response (including 403s and `null` bodies) is kept in raw_responses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from db.importers.feed.client import SERIES_IDS, FetchJson, race_list_url, series_race_list_url, weekend_feed_url
from db.importers.feed.parse import FeedRace, parse_race_list, parse_weekend
from db.importers.feed.write import WeekendOutcome, apply_weekend, store_raw, upsert_race
from db.importers.resolve import FEED_SOURCE, NameResolver, ensure_source
from db.importers.summaries import refresh_races
from db.storage.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
Progress = Callable[[int, int], None]  # (done, total) weekend feeds

POLL_WINDOW = dt.timedelta(days=3)  # stop polling a race this long after its start


@dataclass(frozen=True)
class PollTarget:
    race_id: int
    feed_race_id: int
    series: str
    season: int


@dataclass
class SyncReport:
    races_seen: int = 0
    races_changed: int = 0
    results_synced: int = 0
    not_available: list[str] = field(default_factory=list)
    turned_official: list[int] = field(default_factory=list)
    corrected: list[int] = field(default_factory=list)


def number_points_races(races: list[FeedRace]) -> dict[int, int]:
    """Points-race numbers per series and season: points races in start order, as nascaR.data counts them."""
    numbers: dict[int, int] = {}
    groups: dict[tuple[str, int], list[FeedRace]] = {}
    for race in races:
        if race.points_race:
            groups.setdefault((race.series, race.season), []).append(race)
    for group in groups.values():
        group.sort(key=lambda r: (r.start_utc or dt.datetime.max.replace(tzinfo=dt.UTC), r.race_id))
        for number, race in enumerate(group, start=1):
            numbers[race.race_id] = number
    return numbers


class FeedSync:
    def __init__(self, db: Database, fetch: FetchJson, *, base_url: str, clock: Clock) -> None:
        self.db = db
        self.fetch = fetch
        self.base_url = base_url
        self.clock = clock

    async def _get(self, url: str) -> Any:
        """The parsed body, or None when the feed has nothing there (403/404, `null`, not JSON)."""
        response = await self.fetch(url)
        async with self.db.transaction():
            await store_raw(self.db, url, response, self.clock())
        if not response.available:
            log.info("Feed has no data at %s (HTTP %d)", url, response.status)
            return None
        return response.body

    async def fetch_race_list(self, season: int, series: str | None, report: SyncReport) -> list[FeedRace] | None:
        body = await self._get(race_list_url(self.base_url, season))
        if body is not None:
            return parse_race_list(body, series=series)
        # Older seasons only have the per-series form.
        races: list[FeedRace] = []
        found = False
        for code in [series] if series else list(SERIES_IDS):
            per_series = await self._get(series_race_list_url(self.base_url, season, SERIES_IDS[code]))
            if per_series is not None:
                found = True
                races += parse_race_list(per_series, series=code)
        if not found:
            report.not_available.append(f"{season} race list")
            return None
        return races

    async def sync_schedule(self, season: int, series: str | None = None) -> tuple[list[FeedRace], SyncReport]:
        """The season's races into the schedule (exhibitions flagged); no results are fetched."""
        report = SyncReport()
        races = await self.fetch_race_list(season, series, report) or []
        numbers = number_points_races(races)
        async with self.db.data_transaction():
            await ensure_source(self.db, FEED_SOURCE)
            names = await NameResolver.load(self.db)
            touched: list[int] = []
            for race in races:
                report.races_seen += 1
                if race.race_day is None:
                    report.not_available.append(f"{race.season} {race.name}: no date")
                    continue
                race_id, changed = await upsert_race(self.db, race, numbers.get(race.race_id), names, self.clock())
                report.races_changed += changed
                if changed:
                    touched.append(race_id)
            await refresh_races(self.db, touched)
        return races, report

    async def sync_results(self, target: PollTarget, report: SyncReport) -> WeekendOutcome | None:
        """One race's weekend feed → results; None when the feed has none yet."""
        url = weekend_feed_url(self.base_url, target.season, SERIES_IDS[target.series], target.feed_race_id)
        weekend = parse_weekend(await self._get(url))
        if weekend is None or not weekend.results:
            report.not_available.append(f"results of feed race {target.feed_race_id}")
            return None
        async with self.db.data_transaction():
            names = await NameResolver.load(self.db)
            outcome = await apply_weekend(self.db, target.race_id, weekend, names, self.clock())
            if outcome.changed:
                await refresh_races(self.db, [target.race_id])
        report.results_synced += 1
        report.races_changed += outcome.changed
        if outcome.turned_official:
            report.turned_official.append(target.race_id)
        if outcome.corrected:
            report.corrected.append(target.race_id)
        return outcome

    async def sync_season(self, season: int, series: str | None = None, progress: Progress | None = None) -> SyncReport:
        """Schedule, then results of every race that has been run (the CLI's `data sync`)."""
        races, report = await self.sync_schedule(season, series)
        now = self.clock()
        run = [r for r in races if r.run or (r.start_utc is not None and r.start_utc <= now)]
        targets = await self._targets([r.race_id for r in run])
        for done, target in enumerate(targets, start=1):
            await self.sync_results(target, report)
            if progress:
                progress(done, len(targets))
        return report

    async def _targets(self, feed_ids: list[int]) -> list[PollTarget]:
        if not feed_ids:
            return []
        marks = ",".join("?" * len(feed_ids))
        rows = await self.db.fetch(
            f"""SELECT id, feed_race_id, series, season FROM races WHERE feed_race_id IN ({marks})
                ORDER BY start_utc, id""",
            feed_ids,
        )
        return [PollTarget(*row) for row in rows]

    async def races_to_poll(self) -> list[PollTarget]:
        """Feed races that have started (within the poll window) and are not official yet."""
        now = self.clock()
        rows = await self.db.fetch(
            """SELECT id, feed_race_id, series, season FROM races
               WHERE feed_race_id IS NOT NULL AND status != 'official' AND start_utc IS NOT NULL
                 AND start_utc <= ? AND start_utc >= ? ORDER BY start_utc, id""",
            (now.astimezone(dt.UTC).isoformat(timespec="seconds"),
             (now - POLL_WINDOW).astimezone(dt.UTC).isoformat(timespec="seconds")),
        )  # fmt: skip
        return [PollTarget(*row) for row in rows]
