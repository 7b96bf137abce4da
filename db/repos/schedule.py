"""Race schedules: what's next, a season's calendar, and how fresh the data is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from db.models import RaceSummary, Series
from db.models.schedule import ScheduleView, calendar_order
from db.repos.memo import ChangeMemo
from db.repos.rows import RACE_SUMMARY_SQL, parse_utc, race_summary_from, to_utc_text
from db.storage.database import Database


class ScheduleStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # A season's calendar is read over and over and changes only with the data; its models cost most.
        self._seasons: ChangeMemo[tuple[RaceSummary, ...]] = ChangeMemo(db, size=32)

    async def next_races(self, *, series: Series, now: dt.datetime, limit: int = 1) -> ScheduleView:
        """Races not yet started at `now` (a race known only by its day counts until that day ends)."""
        today = now.astimezone(dt.UTC).date().isoformat()
        # Two index ranges (races_series_start, races_series_dated), each over the races still to come.
        races = tuple(
            race_summary_from(row)
            for row in await self._db.fetch(
                RACE_SUMMARY_SQL
                + """ WHERE r.id IN (
                      SELECT id FROM races WHERE series = ?1 AND start_utc > ?2
                      UNION ALL
                      SELECT id FROM races WHERE series = ?1 AND start_utc IS NULL AND date_known = 1
                         AND race_date >= ?3)
                  ORDER BY r.race_date, coalesce(r.start_utc, r.race_date), r.id LIMIT ?4""",
                (series, to_utc_text(now), today, limit),
            )
        )
        return await self._view(series, races, now)

    async def season_schedule(self, *, series: Series, season: int, now: dt.datetime) -> ScheduleView:
        async def load() -> tuple[RaceSummary, ...]:
            return calendar_order(
                [
                    race_summary_from(row)
                    for row in await self._db.fetch(
                        RACE_SUMMARY_SQL
                        + " WHERE r.series = ? AND r.season = ? ORDER BY r.race_date, r.start_utc, r.id",
                        (series, season),
                    )
                ]
            )

        return await self._view(series, await self._seasons.get((series, season), load), now)

    async def races_starting_between(self, *, start: dt.datetime, end: dt.datetime) -> list[RaceSummary]:
        """Every series' races with a known start in [start, end), for the alert planner."""
        return [
            race_summary_from(row)
            for row in await self._db.fetch(
                RACE_SUMMARY_SQL + " WHERE r.start_utc >= ? AND r.start_utc < ? ORDER BY r.start_utc, r.id",
                (to_utc_text(start), to_utc_text(end)),
            )
        ]

    async def set_race_start(self, *, race_id: int, start_utc: dt.datetime, now: dt.datetime) -> bool:
        """Move a race (rain, postponement); its race day follows the new start in the track's time zone."""
        row = await self._db.fetch_one(
            "SELECT t.timezone FROM races r JOIN tracks t ON t.id = r.track_id WHERE r.id = ?", (race_id,)
        )
        if row is None:
            return False
        local_day = start_utc.astimezone(ZoneInfo(row[0])).date()
        async with self._db.data_transaction():
            await self._db.execute(
                "UPDATE races SET start_utc = ?, race_date = ?, updated_at = ? WHERE id = ?",
                (to_utc_text(start_utc), local_day.isoformat(), to_utc_text(now), race_id),
            )
        return True

    async def _view(self, series: Series, races: tuple[RaceSummary, ...], now: dt.datetime) -> ScheduleView:
        # Each figure through an index or the per-season summary: none walks the series' races.
        row = await self._db.fetch_one(
            """SELECT (SELECT max(season) FROM season_summary WHERE series = ?1),
                      (SELECT max(updated_at) FROM races WHERE series = ?1)""",
            (series,),
        )
        shown = max((race.season for race in races), default=now.year)
        seasons = tuple(
            int(r[0])
            for r in await self._db.fetch(
                "SELECT season FROM season_summary WHERE series = ? AND season BETWEEN ? AND ? ORDER BY season",
                (series, now.year, max(shown, now.year)),
            )
        )
        last = await self._db.fetch_one(
            RACE_SUMMARY_SQL
            + """ WHERE r.series = ? AND r.date_known = 1 AND r.race_date <= ?
                  ORDER BY r.race_date DESC, r.id DESC LIMIT 1""",
            (series, now.astimezone(dt.UTC).date().isoformat()),
        )
        return ScheduleView(
            series=series,
            races=races,
            latest_season=row[0] if row else None,
            seasons=seasons,
            last_race=race_summary_from(last) if last else None,
            refreshed_at=parse_utc(row[1]) if row else None,
        )
