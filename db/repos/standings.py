"""Official points standings: one snapshot per series, season and race, as NASCAR's points feed sent it.

Nothing here derives points from results. A season or race without a stored snapshot has no
standings; the caller says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from db.importers.feed.points import PointsEntry
from db.models import Series, Source
from db.models.standings import (
    Progression,
    ProgressionLine,
    StandingRow,
    StandingsLookup,
    StandingsSnapshot,
    StoredStandings,
)
from db.repos.rows import RACE_SUMMARY_SQL, parse_utc, race_summary_from, source_from, to_utc_text
from db.storage.database import Database, insert_id

ROW_COLUMNS = (
    "position, feed_driver_id, driver_name, car_number, points, starts, wins, top_5, top_10, poles, laps_led, "
    "stage_points, playoff_points, playoff_rank, cutoff_delta, in_chase, points_eligible, rookie"
)

SNAPSHOT_SQL = """
SELECT st.id, st.series, st.season, st.after_race, st.official, st.url, st.fetched_at,
       s.key AS source_key, s.title AS source_title, s.url AS source_url,
       s.published AS source_published, s.publisher AS source_publisher, st.source AS raw_source
FROM standings st LEFT JOIN sources s ON s.key = st.source
"""


def _entry_values(entry: PointsEntry) -> tuple[Any, ...]:
    flags = (entry.in_chase, entry.points_eligible, entry.rookie)
    return (
        entry.position, entry.feed_driver_id, entry.driver_name, entry.car_number, entry.points, entry.starts,
        entry.wins, entry.top_5, entry.top_10, entry.poles, entry.laps_led, entry.stage_points,
        entry.playoff_points, entry.playoff_rank, entry.cutoff_delta, *(None if f is None else int(f) for f in flags),
    )  # fmt: skip


async def write_snapshot(
    db: Database,
    *,
    series: Series,
    season: int,
    after_race: int,
    official: bool,
    source: str,
    url: str,
    fetched_at: dt.datetime,
    entries: Sequence[PointsEntry],
) -> bool:
    """Store one snapshot inside the caller's transaction; returns whether anything changed.

    Live points never replace official ones for the same race; official ones replace live ones.
    The same rows again change nothing (not even fetched_at), so the data version stays put.
    """
    row = await db.fetch_one(
        "SELECT id, official FROM standings WHERE series = ? AND season = ? AND after_race = ?",
        (series, season, after_race),
    )
    rows = sorted(_entry_values(e) for e in entries)
    if row is not None:
        if row["official"] and not official:
            return False
        stored = sorted(
            tuple(r)
            for r in await db.fetch(
                f"SELECT {ROW_COLUMNS} FROM standings_rows WHERE standings_id = ? ORDER BY position, feed_driver_id",
                (row["id"],),
            )
        )
        if stored == rows and bool(row["official"]) == official:
            return False
        snapshot_id = int(row["id"])
        await db.execute(
            "UPDATE standings SET official = ?, source = ?, url = ?, fetched_at = ? WHERE id = ?",
            (int(official), source, url, to_utc_text(fetched_at), snapshot_id),
        )
        await db.execute("DELETE FROM standings_rows WHERE standings_id = ?", (snapshot_id,))
    else:
        snapshot_id = await insert_id(
            db,
            """INSERT INTO standings (series, season, after_race, official, source, url, fetched_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (series, season, after_race, int(official), source, url, to_utc_text(fetched_at)),
        )
    marks = ", ".join("?" * (len(ROW_COLUMNS.split(",")) + 1))
    await db.execute_many(
        f"INSERT INTO standings_rows (standings_id, {ROW_COLUMNS}) VALUES ({marks})",
        [(snapshot_id, *values) for values in rows],
    )
    return True


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _row_from(row: Any) -> StandingRow:
    return StandingRow(
        position=row["position"],
        driver=row["display_name"],
        driver_id=row["driver_id"],
        feed_driver_id=row["feed_driver_id"],
        car_number=row["car_number"],
        points=row["points"],
        starts=row["starts"],
        wins=row["wins"],
        top_5=row["top_5"],
        top_10=row["top_10"],
        poles=row["poles"],
        laps_led=row["laps_led"],
        stage_points=row["stage_points"],
        playoff_points=row["playoff_points"],
        playoff_rank=row["playoff_rank"],
        cutoff_delta=row["cutoff_delta"],
        in_chase=_flag(row["in_chase"]),
        points_eligible=_flag(row["points_eligible"]),
        rookie=_flag(row["rookie"]),
    )


class StandingsStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def seasons(self, *, series: Series) -> list[int]:
        """Seasons with any stored standings, newest first."""
        return [
            int(r[0])
            for r in await self._db.fetch(
                "SELECT DISTINCT season FROM standings WHERE series = ? ORDER BY season DESC", (series,)
            )
        ]

    async def stored(self, *, series: Series, season: int) -> list[StoredStandings]:
        """Every stored snapshot of a season, in race order, with the race's name when we have the race."""
        rows = await self._db.fetch(
            """SELECT st.after_race, st.official, r.name FROM standings st
               LEFT JOIN races r ON r.series = st.series AND r.season = st.season AND r.race_number = st.after_race
               WHERE st.series = ? AND st.season = ? ORDER BY st.after_race""",
            (series, season),
        )
        return [StoredStandings(after_race=r[0], official=bool(r[1]), race_name=r[2]) for r in rows]

    async def standings(
        self, *, series: Series, season: int, after_race: int | None = None
    ) -> StandingsSnapshot | None:
        """The snapshot after `after_race` (default: the latest stored), or None when none is stored."""
        where = " WHERE st.series = ? AND st.season = ?"
        params: list[Any] = [series, season]
        if after_race is not None:
            where += " AND st.after_race = ?"
            params.append(after_race)
        head = await self._db.fetch_one(SNAPSHOT_SQL + where + " ORDER BY st.after_race DESC LIMIT 1", params)
        if head is None:
            return None
        rows = tuple(
            _row_from(r)
            for r in await self._db.fetch(
                """SELECT sr.*, coalesce(d.name, sr.driver_name) AS display_name, d.id AS driver_id
                FROM standings_rows sr LEFT JOIN drivers d ON d.feed_id = sr.feed_driver_id
                WHERE sr.standings_id = ? ORDER BY sr.position, sr.feed_driver_id""",
                (head["id"],),
            )
        )
        race = await self._db.fetch_one(
            RACE_SUMMARY_SQL + " WHERE r.series = ? AND r.season = ? AND r.race_number = ?",
            (series, season, head["after_race"]),
        )
        count = await self._db.fetch_one(
            "SELECT count(*) FROM races WHERE series = ? AND season = ? AND race_number IS NOT NULL",
            (series, season),
        )
        return StandingsSnapshot(
            series=head["series"],
            season=head["season"],
            after_race=head["after_race"],
            official=bool(head["official"]),
            race=race_summary_from(race) if race else None,
            source=source_from(head, fallback_key=head["raw_source"]),
            url=head["url"],
            fetched_at=parse_utc(head["fetched_at"]) or dt.datetime.now(dt.UTC),
            season_points_races=int(count[0]) if count else 0,
            rows=rows,
        )

    async def lookup(self, *, series: Series, season: int | None, after_race: int | None) -> StandingsLookup:
        """The snapshot asked for (season default: the latest with standings), or what is stored instead."""
        if season is None:
            newest = await self.seasons(series=series)
            if not newest:
                return StandingsLookup(series=series, season=None, after_race=after_race, snapshot=None)
            season = newest[0]
        snapshot = await self.standings(series=series, season=season, after_race=after_race)
        if snapshot is not None:
            return StandingsLookup(series=series, season=season, after_race=after_race, snapshot=snapshot)
        stored = tuple(await self.stored(series=series, season=season))
        seasons = () if stored else tuple(await self.seasons(series=series))
        return StandingsLookup(
            series=series, season=season, after_race=after_race, snapshot=None, stored=stored, seasons=seasons
        )

    async def progression(self, *, series: Series, season: int, until: int | None = None, top: int = 10) -> Progression:
        """Points after every stored race up to `until` (default: all) for that snapshot's `top` drivers."""
        latest = await self.standings(series=series, season=season, after_race=until)
        if latest is None:
            return Progression(series=series, season=season, after_races=(), lines=(), source=None)
        leaders = {r.feed_driver_id: r.driver for r in latest.rows[:top]}
        marks = ",".join("?" * len(leaders))
        found = await self._db.fetch(
            f"""SELECT st.after_race, sr.feed_driver_id, sr.points FROM standings st
                JOIN standings_rows sr ON sr.standings_id = st.id
                WHERE st.series = ? AND st.season = ? AND st.after_race <= ? AND sr.feed_driver_id IN ({marks})
                ORDER BY st.after_race""",
            (series, season, latest.after_race, *leaders),
        )
        by_driver: dict[int, list[tuple[int, int]]] = {d: [] for d in leaders}
        for after, driver, points in found:
            by_driver[driver].append((after, points))
        source: Source = latest.source
        return Progression(
            series=series,
            season=season,
            after_races=tuple(sorted({int(r[0]) for r in found})),
            lines=tuple(
                ProgressionLine(feed_driver_id=d, driver=leaders[d], points=tuple(by_driver[d])) for d in leaders
            ),
            source=source,
        )
