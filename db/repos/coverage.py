"""What the store holds per series and season, and how fresh it is (for /about)."""

from __future__ import annotations

from db.models.coverage import Coverage, SeasonCoverage, SeriesCoverage
from db.repos.memo import ChangeMemo
from db.repos.rows import SOURCES_SQL, parse_utc, source_from
from db.storage.database import Database

# One row per season, kept at write time (db/importers/summaries.py): no walk over races or results.
_SEASONS_SQL = """
SELECT series, season, races, with_results, results, result_sources, schedule_sources
FROM season_summary ORDER BY series, season
"""

# The counts of the small curated tables and the freshness figures, in one round trip; the newest race
# change per series through races_series_updated, the newest feed answer through raw_responses_fetched.
_TOTALS_SQL = """
SELECT (SELECT count(*) FROM quotes) AS quotes,
       (SELECT count(*) FROM notable_finishes) AS notable_finishes,
       (SELECT count(*) FROM drivers) AS drivers,
       (SELECT count(*) FROM tracks) AS tracks,
       (SELECT max(loaded_at) FROM data_loads) AS last_load,
       (SELECT max(u) FROM (SELECT (SELECT max(r.updated_at) FROM races r WHERE r.series = s.code) AS u
                            FROM series s) latest) AS last_update,
       (SELECT max(fetched_at) FROM raw_responses WHERE status = 200) AS last_sync
"""


def _keys(concatenated: str | None) -> tuple[str, ...]:
    return tuple(sorted(k for k in (concatenated or "").split(",") if k))


class CoverageStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._memo: ChangeMemo[Coverage] = ChangeMemo(db, size=1)

    async def coverage(self) -> Coverage:
        # The answer only changes with the data: one model per data version.
        return await self._memo.get("coverage", self._coverage)

    async def _coverage(self) -> Coverage:
        sources = tuple(source_from(row) for row in await self._db.fetch(SOURCES_SQL + " ORDER BY key"))
        by_series: dict[str, list[SeasonCoverage]] = {}
        results = 0
        for row in await self._db.fetch(_SEASONS_SQL):
            results += int(row["results"])
            by_series.setdefault(row["series"], []).append(
                SeasonCoverage(
                    season=row["season"],
                    races=row["races"],
                    with_results=row["with_results"],
                    result_sources=_keys(row["result_sources"]),
                    schedule_sources=_keys(row["schedule_sources"]),
                )
            )
        loads = await self._db.fetch("SELECT name, loaded_at FROM data_loads WHERE name LIKE 'nascaR.data:%'")
        imports = {str(r[0]).split(":", 1)[1]: parse_utc(r[1]) for r in loads}
        totals = await self._db.fetch_one(_TOTALS_SQL)
        assert totals is not None
        series = tuple(
            SeriesCoverage(series=code, seasons=tuple(seasons), last_import=imports.get(code))
            for code, seasons in sorted(by_series.items(), key=lambda item: ("cup", "xfinity", "truck").index(item[0]))
        )
        every = [s for record in series for s in record.seasons]
        return Coverage(
            races=sum(s.races for s in every),
            races_with_results=sum(s.with_results for s in every),
            results=results,
            quotes=totals["quotes"],
            notable_finishes=totals["notable_finishes"],
            drivers=totals["drivers"],
            tracks=totals["tracks"],
            seasons=tuple(sorted({s.season for s in every})),
            seasons_with_results=tuple(sorted({s.season for s in every if s.with_results})),
            last_load=parse_utc(totals["last_load"]),
            last_race_update=parse_utc(totals["last_update"]),
            sources=sources,
            series=series,
            last_feed_sync=parse_utc(totals["last_sync"]),
        )
