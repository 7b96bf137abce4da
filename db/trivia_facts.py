"""Sourced facts for trivia, fetched one at a time by index so the generator never loads a whole table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, Literal

import aiosqlite

from db.citations import fetch_sources, in_order
from db.models import Model, NotableFinish, Quote, Series, Source
from db.rows import NOTABLE_FINISH_SQL, QUOTE_SQL, json_list, notable_finish_from, quote_from

RaceFigure = Literal["winner", "margin", "pole", "results"]

# A race qualifies for a figure only when the figure is stored and the race names a source.
_FIGURE_FILTER: dict[RaceFigure, str] = {
    "winner": "r.winner_id IS NOT NULL AND r.status = 'official'",
    "margin": "r.margin_s IS NOT NULL AND r.margin_s > 0 AND r.winner_id IS NOT NULL AND r.status = 'official'",
    "pole": "r.pole_driver_id IS NOT NULL",
    "results": "r.status = 'official' AND EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id)",
}

_RACE_FACT_SQL = """
SELECT r.id, r.series, r.season, r.name, r.race_date, r.margin_s, r.source, r.field_sources,
       t.name AS track, w.name AS winner, p.name AS pole,
       (SELECT count(*) FROM results x WHERE x.race_id = r.id) AS field_size
FROM races r
JOIN tracks t ON t.id = r.track_id
LEFT JOIN drivers w ON w.id = r.winner_id
LEFT JOIN drivers p ON p.id = r.pole_driver_id
"""

_CLOSEST_SQL = NOTABLE_FINISH_SQL + " WHERE json_array_length(n.sources) > 0"
_QUOTE_SQL = QUOTE_SQL + " WHERE q.source <> ''"


class RaceFact(Model):
    """One race and the sources of the one figure a question is about."""

    race_id: int
    series: Series
    season: int
    name: str
    track: str
    race_date: dt.date
    winner: str | None
    margin_s: float | None
    pole: str | None
    field_size: int
    sources: tuple[Source, ...]


class FieldEntry(Model):
    finish: int
    driver: str


class SqliteTriviaFacts:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _scalar(self, sql: str, params: Iterable[object] = ()) -> Any:
        async with self._conn.execute(sql, tuple(params)) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None

    async def _sources(self, keys: Iterable[str]) -> tuple[Source, ...]:
        """Source keys resolved to titles, in order; a key without a sources row keeps its key as title."""
        ordered = [k for k in keys if k]
        return in_order(ordered, await fetch_sources(self._conn, ordered))

    async def latest_season(self) -> int | None:
        """The newest season with a stored winner: "recent" and "old" are measured from here."""
        value = await self._scalar("SELECT max(season) FROM races WHERE winner_id IS NOT NULL")
        return int(value) if value is not None else None

    async def count_closest(self) -> int:
        return int(await self._scalar(f"SELECT count(*) FROM ({_CLOSEST_SQL})"))

    async def closest_at(self, *, index: int) -> NotableFinish | None:
        async with self._conn.execute(_CLOSEST_SQL + " ORDER BY n.id LIMIT 1 OFFSET ?", (index,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return notable_finish_from(row, await self._sources(str(k) for k in json_list(row["sources"])))

    async def count_races(self, *, figure: RaceFigure) -> int:
        return int(
            await self._scalar(f"SELECT count(*) FROM races r WHERE r.source <> '' AND {_FIGURE_FILTER[figure]}")
        )

    async def race_at(self, *, figure: RaceFigure, index: int) -> RaceFact | None:
        """The index-th race (by id) holding the figure; its sources are the figure's, else the race's own."""
        # Skip through ids only; the joins run for the one race picked.
        race_id = await self._scalar(
            f"""SELECT r.id FROM races r WHERE r.source <> '' AND {_FIGURE_FILTER[figure]}
                ORDER BY r.id LIMIT 1 OFFSET ?""",
            (index,),
        )
        async with self._conn.execute(_RACE_FACT_SQL + " WHERE r.id = ?", (race_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        by_figure: dict[str, list[str]] = json.loads(row["field_sources"] or "{}")
        keys = [str(k) for k in by_figure.get(figure, [])] or [row["source"]]
        return RaceFact(
            race_id=row["id"],
            series=row["series"],
            season=row["season"],
            name=row["name"],
            track=row["track"],
            race_date=dt.date.fromisoformat(row["race_date"]),
            winner=row["winner"],
            margin_s=row["margin_s"],
            pole=row["pole"],
            field_size=row["field_size"],
            sources=await self._sources(keys),
        )

    async def race_field(self, *, race_id: int) -> list[FieldEntry]:
        async with self._conn.execute(
            """SELECT x.finish, d.name AS driver FROM results x JOIN drivers d ON d.id = x.driver_id
               WHERE x.race_id = ? ORDER BY x.finish""",
            (race_id,),
        ) as cursor:
            return [FieldEntry(finish=row["finish"], driver=row["driver"]) for row in await cursor.fetchall()]

    async def count_quotes(self) -> int:
        return int(await self._scalar(f"SELECT count(*) FROM ({_QUOTE_SQL})"))

    async def quote_at(self, *, index: int) -> Quote | None:
        async with self._conn.execute(_QUOTE_SQL + " ORDER BY q.id LIMIT 1 OFFSET ?", (index,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return quote_from(row)

    async def quote_race_id(self, *, quote_id: int) -> int | None:
        value = await self._scalar("SELECT race_id FROM quotes WHERE id = ?", (quote_id,))
        return int(value) if value is not None else None

    async def drivers_near(self, *, season: int, window: int, limit: int = 200) -> list[str]:
        """Drivers who won, ran top 10, or figured in a close finish within `window` seasons: same-era names."""
        low, high = season - window, season + window
        async with self._conn.execute(
            """SELECT d.name FROM drivers d WHERE d.id IN (
                   SELECT winner_id FROM races WHERE season BETWEEN ?1 AND ?2 AND winner_id IS NOT NULL
                   UNION SELECT x.driver_id FROM results x JOIN races r ON r.id = x.race_id
                         WHERE r.season BETWEEN ?1 AND ?2 AND x.finish <= 10
                   UNION SELECT winner_id FROM notable_finishes WHERE season BETWEEN ?1 AND ?2
                   UNION SELECT runner_up_id FROM notable_finishes
                         WHERE season BETWEEN ?1 AND ?2 AND runner_up_id IS NOT NULL)
               ORDER BY d.name LIMIT ?3""",
            (low, high, limit),
        ) as cursor:
            return [row[0] for row in await cursor.fetchall()]

    async def track_names(self, *, series: Series) -> list[str]:
        """Tracks that hosted a race or a close finish in the series (so wrong answers are real venues)."""
        async with self._conn.execute(
            """SELECT name FROM tracks WHERE id IN (
                   SELECT track_id FROM races WHERE series = ?1
                   UNION SELECT track_id FROM notable_finishes WHERE series = ?1)
               ORDER BY name""",
            (series,),
        ) as cursor:
            return [row[0] for row in await cursor.fetchall()]

    async def margins_between(self, *, low: float, high: float, limit: int = 50) -> list[float]:
        """Distinct real winning margins in [low, high], smallest first."""
        async with self._conn.execute(
            """SELECT DISTINCT m FROM (
                   SELECT margin_s AS m FROM notable_finishes
                   UNION SELECT margin_s FROM races WHERE margin_s IS NOT NULL)
               WHERE m BETWEEN ? AND ? ORDER BY m LIMIT ?""",
            (low, high, limit),
        ) as cursor:
            return [float(row[0]) for row in await cursor.fetchall()]

    async def career_wins(self, *, driver: str) -> int:
        """Wins stored for a driver: a rough measure of how famous, so how guessable, a name is."""
        return int(
            await self._scalar(
                "SELECT count(*) FROM races r JOIN drivers d ON d.id = r.winner_id WHERE d.name = ?", (driver,)
            )
        )
