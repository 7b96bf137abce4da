"""Sourced facts for trivia: one fact at a time by id, from pools kept in memory until the data changes.

`pools()` checks the data version once and returns what trivia can ask about (db/repos/trivia_pools.py); the
other methods work within the pools it last returned, reading only the rows of the fact asked for. What
they read is kept too (a season's race ids, a race's field, the drivers of an era), so a game start costs
about one round trip per question. Every fact is re-checked against its figure when read: a pool a
data write made stale yields None, never a fact without its figure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from db.importers.summaries import FIGURE_FILTER
from db.models import NotableFinish, Quote, Series
from db.models.trivia import FieldEntry, RaceFact, RaceFigure, TriviaPools
from db.repos.rows import NOTABLE_FINISH_SQL, QUOTE_SQL, json_list, notable_finish_from, quote_from
from db.repos.trivia_pools import load_pools
from db.storage.database import Database

T = TypeVar("T")
KEPT = 2_000  # rows kept per data version (fields, eras, season ids): a few MB at most

# One round trip: the n-th race of one season holding the figure (numbered within that season, so bounded by
# it), the names it needs and its field as one JSON list of [finish, driver] (one row: cheaper to read than
# one row per finisher).
_RACE_FACT_SQL = """
SELECT r.id, r.series, r.season, r.name, r.race_date, r.margin_s, r.source, r.field_sources,
       t.name AS track, w.name AS winner, p.name AS pole,
       (SELECT {field} FROM (
            SELECT x.finish, d.name AS driver FROM results x JOIN drivers d ON d.id = x.driver_id
            WHERE x.race_id = r.id ORDER BY x.finish) f) AS field
FROM races r
JOIN tracks t ON t.id = r.track_id
LEFT JOIN drivers w ON w.id = r.winner_id
LEFT JOIN drivers p ON p.id = r.pole_driver_id
WHERE r.id = (SELECT id FROM (
    SELECT r.id, row_number() OVER (ORDER BY r.id) AS n FROM races r
    WHERE r.series = ? AND r.season = ? AND {figure}) numbered WHERE n = ?)
"""


class TriviaFactStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._pools: TriviaPools | None = None
        self._version: int | None = None
        self._kept: dict[Hashable, Any] = {}

    async def pools(self) -> TriviaPools:
        """The pools of the current data version (one query when unchanged since the last call)."""
        version = await self._db.data_version()
        if self._pools is None or version != self._version:
            self._kept.clear()
            self._pools = await load_pools(self._db)
            self._version = version
        return self._pools

    async def _current(self) -> TriviaPools:
        return self._pools if self._pools is not None else await self.pools()

    async def _keep(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        if key in self._kept:
            value: T = self._kept[key]
            return value
        value = await load()
        if len(self._kept) >= KEPT:
            self._kept.clear()
        self._kept[key] = value
        return value

    async def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        return await self._db.fetch(sql, params)

    async def closest_at(self, *, index: int) -> NotableFinish | None:
        pools = await self._current()
        if not 0 <= index < len(pools.closest_ids):
            return None
        rows = await self._rows(NOTABLE_FINISH_SQL + " WHERE n.id = ?", (pools.closest_ids[index],))
        if not rows:
            return None
        return notable_finish_from(rows[0], pools.source_list([str(k) for k in json_list(rows[0]["sources"])]))

    async def race_at(self, *, figure: RaceFigure, index: int) -> RaceFact | None:
        """The index-th race holding the figure (season by season, then by id); its sources are the figure's,
        else the race's own."""
        pools = await self._current()
        counts = pools.races.get(figure)
        found = counts.locate(index) if counts else None
        if found is None:
            return None
        series, season, position = found
        sql = _RACE_FACT_SQL.format(
            figure=FIGURE_FILTER[figure], field=self._db.dialect.json_rows("f.finish, f.driver", "f.finish")
        )
        rows = await self._rows(sql, (series, season, position + 1))
        if not rows:
            return None  # the season changed since the pools were read
        row = rows[0]
        field = [FieldEntry(finish, driver) for finish, driver in sorted(json.loads(row["field"] or "[]"))]
        self._kept[("field", row["id"])] = field
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
            field_size=len(field),
            sources=pools.source_list(keys),
        )

    async def race_field(self, *, race_id: int) -> list[FieldEntry]:
        async def load() -> list[FieldEntry]:
            rows = await self._rows(
                """SELECT x.finish, d.name AS driver FROM results x JOIN drivers d ON d.id = x.driver_id
                   WHERE x.race_id = ? ORDER BY x.finish""",
                (race_id,),
            )
            return [FieldEntry(finish=row["finish"], driver=row["driver"]) for row in rows]

        return list(await self._keep(("field", race_id), load))

    async def quote_at(self, *, index: int) -> Quote | None:
        pools = await self._current()
        if not 0 <= index < len(pools.quote_ids):
            return None
        rows = await self._rows(QUOTE_SQL + " WHERE q.id = ?", (pools.quote_ids[index],))
        if not rows:
            return None
        self._kept[("quote race", rows[0]["id"])] = rows[0]["race_id"]
        return quote_from(rows[0])

    async def quote_race_id(self, *, quote_id: int) -> int | None:
        async def load() -> int | None:
            rows = await self._rows("SELECT race_id FROM quotes WHERE id = ?", (quote_id,))
            return int(rows[0][0]) if rows and rows[0][0] is not None else None

        return await self._keep(("quote race", quote_id), load)

    async def drivers_near(self, *, season: int, window: int, limit: int = 200) -> list[str]:
        """Drivers who won, ran top 10, or figured in a close finish within `window` seasons: same-era names.

        From the per-season totals (db/importers/summaries.py): a row per driver and season in the window.
        """
        low, high = season - window, season + window

        async def load() -> list[str]:
            rows = await self._rows(
                """SELECT d.name FROM drivers d WHERE d.id IN (
                       SELECT driver_id FROM driver_season_stats
                       WHERE series IN ('cup', 'xfinity', 'truck') AND season BETWEEN ?1 AND ?2
                         AND (top10 > 0 OR wins_on_record > 0)
                       UNION SELECT winner_id FROM notable_finishes WHERE season BETWEEN ?1 AND ?2
                       UNION SELECT runner_up_id FROM notable_finishes
                             WHERE season BETWEEN ?1 AND ?2 AND runner_up_id IS NOT NULL)
                   ORDER BY d.name LIMIT ?3""",
                (low, high, limit),
            )
            return [str(row[0]) for row in rows]

        return list(await self._keep(("era", low, high, limit), load))

    async def track_names(self, *, series: Series) -> list[str]:
        """Tracks that hosted a race or a close finish in the series (so wrong answers are real venues)."""

        async def load() -> list[str]:
            rows = await self._rows(
                """SELECT name FROM tracks WHERE id IN (
                       SELECT track_id FROM track_series_races WHERE series = ?1
                       UNION SELECT track_id FROM notable_finishes WHERE series = ?1)
                   ORDER BY name""",
                (series,),
            )
            return [str(row[0]) for row in rows]

        return list(await self._keep(("tracks", series), load))

    async def margins_between(self, *, low: float, high: float, limit: int = 50) -> list[float]:
        """Distinct real winning margins in [low, high], smallest first (races through races_margin)."""

        async def load() -> list[float]:
            rows = await self._rows(
                """SELECT margin_s FROM notable_finishes WHERE margin_s BETWEEN ?1 AND ?2
                   UNION SELECT margin_s FROM races WHERE margin_s BETWEEN ?1 AND ?2
                   ORDER BY 1 LIMIT ?3""",
                (low, high, limit),
            )
            return [float(row[0]) for row in rows]

        return list(await self._keep(("margins", low, high, limit), load))

    async def career_wins(self, *, driver: str) -> int:
        """Wins stored for a driver: a rough measure of how famous, so how guessable, a name is."""
        return (await self._current()).wins.get(driver, 0)
