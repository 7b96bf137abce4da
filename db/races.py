"""Race results and race lookups."""

from __future__ import annotations

import json

import aiosqlite

from db.memo import ChangeMemo
from db.models import Pole, RaceResult, RaceSummary, ResultRow, Series, Source, StageResult
from db.rows import RACE_SUMMARY_SQL, json_list, race_summary_from, source_from


class SqliteRaces:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        # /result reads the same few races over and over; building their models is most of its cost.
        self._track_memo: ChangeMemo[tuple[RaceSummary, ...]] = ChangeMemo(conn)
        self._result_memo: ChangeMemo[RaceResult | None] = ChangeMemo(conn)

    async def race_summary(self, *, race_id: int) -> RaceSummary | None:
        async with self._conn.execute(RACE_SUMMARY_SQL + " WHERE r.id = ?", (race_id,)) as cursor:
            row = await cursor.fetchone()
        return race_summary_from(row) if row else None

    async def races_at_track(self, *, track_id: int, series: Series, season: int | None = None) -> list[RaceSummary]:
        """Races at a track, newest first; one season or all."""

        async def load() -> tuple[RaceSummary, ...]:
            return tuple(await self._races_at_track(track_id, series, season))

        return list(await self._track_memo.get((track_id, series, season), load))

    async def _races_at_track(self, track_id: int, series: Series, season: int | None) -> list[RaceSummary]:
        sql = RACE_SUMMARY_SQL + " WHERE r.track_id = ? AND r.series = ?"
        params: list[object] = [track_id, series]
        if season is not None:
            sql += " AND r.season = ?"
            params.append(season)
        sql += " ORDER BY r.race_date DESC, r.race_number DESC, r.id DESC"
        async with self._conn.execute(sql, params) as cursor:
            rows = await cursor.fetchall()
        return [race_summary_from(row) for row in rows]

    async def race_result(self, *, race_id: int) -> RaceResult | None:
        """The race with its field, stages and per-figure sources; None when it has no results."""
        return await self._result_memo.get(race_id, lambda: self._race_result(race_id))

    async def _race_result(self, race_id: int) -> RaceResult | None:
        summary = await self.race_summary(race_id=race_id)
        if summary is None or not summary.has_results:
            return None
        async with self._conn.execute("SELECT * FROM races WHERE id = ?", (race_id,)) as cursor:
            race = await cursor.fetchone()
        assert race is not None
        results = await self._results(race_id)
        stages = await self._stages(race_id)
        pole = None
        if race["pole_driver_id"] is not None:
            async with self._conn.execute("SELECT name FROM drivers WHERE id = ?", (race["pole_driver_id"],)) as cursor:
                pole_row = await cursor.fetchone()
            if pole_row is not None:
                pole = Pole(driver=pole_row[0], time_s=race["pole_time_s"], speed_mph=race["pole_speed_mph"])
        async with self._conn.execute("SELECT count(*) FROM quotes WHERE race_id = ?", (race_id,)) as cursor:
            quote_row = await cursor.fetchone()
        return RaceResult(
            race=summary,
            actual_laps=race["actual_laps"],
            actual_miles=race["actual_miles"],
            stage_ends=tuple(json_list(race["stage_ends"])),
            cautions=race["cautions"],
            caution_laps=race["caution_laps"],
            lead_changes=race["lead_changes"],
            leaders=race["leaders"],
            margin_text=race["margin_text"],
            margin_s=race["margin_s"],
            average_speed_mph=race["average_speed_mph"],
            radio=race["radio"],
            pole=pole,
            notes=tuple(json_list(race["notes"])),
            corrected=bool(race["corrected"]),
            results=results,
            stages=stages,
            field_sources=await self._field_sources(race["field_sources"], summary.source),
            quote_count=int(quote_row[0]) if quote_row else 0,
        )

    async def _results(self, race_id: int) -> tuple[ResultRow, ...]:
        async with self._conn.execute(
            """SELECT r.finish, r.start, r.car_number, d.name AS driver, r.team, r.make, r.laps,
                      r.laps_led, r.status, r.points, r.rating
               FROM results r JOIN drivers d ON d.id = r.driver_id
               WHERE r.race_id = ? ORDER BY r.finish""",
            (race_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return tuple(ResultRow(**dict(row)) for row in rows)

    async def _stages(self, race_id: int) -> tuple[StageResult, ...]:
        async with self._conn.execute(
            """SELECT s.stage, s.position, d.name AS driver, s.car_number
               FROM stage_results s JOIN drivers d ON d.id = s.driver_id
               WHERE s.race_id = ? ORDER BY s.stage, s.position""",
            (race_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return tuple(StageResult(**dict(row)) for row in rows)

    async def _field_sources(self, raw: str, race_source: Source) -> dict[str, tuple[Source, ...]]:
        mapping: dict[str, list[str]] = json.loads(raw) if raw else {}
        keys = sorted({key for keys in mapping.values() for key in keys})
        known: dict[str, Source] = {race_source.key: race_source}
        if keys:
            marks = ",".join("?" * len(keys))
            async with self._conn.execute(
                f"""SELECT key AS source_key, title AS source_title, url AS source_url,
                           published AS source_published, publisher AS source_publisher
                    FROM sources WHERE key IN ({marks})""",
                keys,
            ) as cursor:
                for row in await cursor.fetchall():
                    known[row["source_key"]] = source_from(row)
        return {
            figure: tuple(known.get(k) or Source(key=k, title=k) for k in figure_keys)
            for figure, figure_keys in mapping.items()
        }
