"""Race results and race lookups."""

from __future__ import annotations

import json

from db.models import Alias, NotableFinish, Pole, RaceResult, RaceSummary, ResultRow, Series, Source, StageResult
from db.repos.citations import fetch_sources, in_order
from db.repos.memo import ChangeMemo
from db.repos.rows import (
    NOTABLE_FINISH_SQL,
    RACE_SUMMARY_SQL,
    json_list,
    notable_finish_from,
    race_summary_from,
)
from db.storage.database import Database

_DEFAULT_SEASON_SQL = """
SELECT coalesce(
    (SELECT r.season FROM races r WHERE r.track_id = ?1 AND r.series = ?2
        AND EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) ORDER BY r.season DESC LIMIT 1),
    (SELECT r.season FROM races r WHERE r.track_id = ?1 AND r.series = ?2 AND r.winner_id IS NOT NULL
        ORDER BY r.season DESC LIMIT 1),
    (SELECT r.season FROM races r WHERE r.track_id = ?1 AND r.series = ?2 ORDER BY r.season DESC LIMIT 1))
"""


class RaceStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # /result reads the same few races over and over; building their models is most of its cost.
        self._track_memo: ChangeMemo[tuple[RaceSummary, ...]] = ChangeMemo(db)
        self._result_memo: ChangeMemo[RaceResult | None] = ChangeMemo(db)

    async def race_summary(self, *, race_id: int) -> RaceSummary | None:
        row = await self._db.fetch_one(RACE_SUMMARY_SQL + " WHERE r.id = ?", (race_id,))
        return race_summary_from(row) if row else None

    async def races_at_track(self, *, track_id: int, series: Series, season: int | None = None) -> list[RaceSummary]:
        """Races at a track, newest first; one season or all."""

        async def load() -> tuple[RaceSummary, ...]:
            return tuple(await self._races_at_track(track_id, series, season))

        return list(await self._track_memo.get((track_id, series, season), load))

    async def default_races(self, *, track_id: int, series: Series) -> list[RaceSummary]:
        """The races /result picks from when no season is asked for, newest first: those of the newest season
        at the track with a stored field, else with a recorded winner, else with any race.

        The track's seasons are walked newest first through races_track and the walk stops at the first that
        fits: a few index entries, not every race the track ever held.
        """

        async def load() -> tuple[RaceSummary, ...]:
            row = await self._db.fetch_one(_DEFAULT_SEASON_SQL, (track_id, series))
            season = row[0] if row else None
            return tuple(await self._races_at_track(track_id, series, season)) if season is not None else ()

        return list(await self._track_memo.get((track_id, series, "default"), load))

    async def _races_at_track(self, track_id: int, series: Series, season: int | None) -> list[RaceSummary]:
        sql = RACE_SUMMARY_SQL + " WHERE r.track_id = ? AND r.series = ?"
        params: list[object] = [track_id, series]
        if season is not None:
            sql += " AND r.season = ?"
            params.append(season)
        sql += " ORDER BY r.race_date DESC, r.race_number DESC, r.id DESC"
        rows = await self._db.fetch(sql, params)
        return [race_summary_from(row) for row in rows]

    async def race_result(self, *, race_id: int) -> RaceResult | None:
        """The race with its field, stages and per-figure sources; None when it has no results."""
        return await self._result_memo.get(race_id, lambda: self._race_result(race_id))

    async def _race_result(self, race_id: int) -> RaceResult | None:
        summary = await self.race_summary(race_id=race_id)
        if summary is None or not summary.has_results:
            return None
        race = await self._db.fetch_one("SELECT * FROM races WHERE id = ?", (race_id,))
        assert race is not None
        results = await self._results(race_id)
        stages = await self._stages(race_id)
        pole = None
        if race["pole_driver_id"] is not None:
            pole_row = await self._db.fetch_one("SELECT name FROM drivers WHERE id = ?", (race["pole_driver_id"],))
            if pole_row is not None:
                pole = Pole(driver=pole_row[0], time_s=race["pole_time_s"], speed_mph=race["pole_speed_mph"])
        else:
            # No recorded pole: the car that started first, when exactly one did (the tables have ties).
            first = [r for r in results if r.start == 1]
            if len(first) == 1:
                pole = Pole(driver=first[0].driver, time_s=None, speed_mph=None, basis="start")
        quote_row = await self._db.fetch_one("SELECT count(*) FROM quotes WHERE race_id = ?", (race_id,))
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
            closest=await self._closest(summary, race["winner_id"], results),
            track_then=await self._track_then(summary),
            starts_recorded=any(r.start is not None for r in results),
        )

    async def _track_then(self, race: RaceSummary) -> Alias | None:
        """The track's name in the race's season, when a source gives one other than today's."""
        row = await self._db.fetch_one(
            """SELECT alias, kind, first_season, last_season, source FROM track_aliases
               WHERE track_id = ? AND kind = 'name' AND (first_season IS NOT NULL OR last_season IS NOT NULL)
                 AND ? BETWEEN coalesce(first_season, ?) AND coalesce(last_season, ?) LIMIT 1""",
            (race.track.id, race.season, race.season, race.season),
        )
        if row is None or row["alias"] == race.track.name:
            return None
        sources = await fetch_sources(self._db, [row["source"]] if row["source"] else [])
        return Alias(
            name=row["alias"],
            kind="name",
            first_season=row["first_season"],
            last_season=row["last_season"],
            source=sources.get(row["source"]) if row["source"] else None,
        )

    async def _closest(
        self, race: RaceSummary, winner_id: int | None, results: tuple[ResultRow, ...]
    ) -> NotableFinish | None:
        """This race in the sourced closest-finishes list: same series, season, track and winner (and
        runner-up, when the list names one); None when no entry, or more than one, fits."""
        if winner_id is None:
            return None
        rows = await self._db.fetch(
            NOTABLE_FINISH_SQL + " WHERE n.series = ? AND n.season = ? AND n.track_id = ? AND n.winner_id = ?",
            (race.series, race.season, race.track.id, winner_id),
        )
        runner_up = results[1].driver if len(results) > 1 else None
        fitting = [r for r in rows if r["runner_up"] is None or r["runner_up"] == runner_up]
        if len(fitting) != 1:
            return None
        keys = [str(k) for k in json_list(fitting[0]["sources"])]
        return notable_finish_from(fitting[0], in_order(keys, await fetch_sources(self._db, keys)))

    async def _results(self, race_id: int) -> tuple[ResultRow, ...]:
        rows = await self._db.fetch(
            """SELECT r.finish, r.start, r.car_number, d.name AS driver, r.team, r.make, r.laps,
                      r.laps_led, r.status, r.points, r.rating
               FROM results r JOIN drivers d ON d.id = r.driver_id
               WHERE r.race_id = ? ORDER BY r.finish""",
            (race_id,),
        )
        return tuple(ResultRow(**dict(row)) for row in rows)

    async def _stages(self, race_id: int) -> tuple[StageResult, ...]:
        rows = await self._db.fetch(
            """SELECT s.stage, s.position, d.name AS driver, s.car_number
               FROM stage_results s JOIN drivers d ON d.id = s.driver_id
               WHERE s.race_id = ? ORDER BY s.stage, s.position""",
            (race_id,),
        )
        return tuple(StageResult(**dict(row)) for row in rows)

    async def _field_sources(self, raw: str, race_source: Source) -> dict[str, tuple[Source, ...]]:
        mapping: dict[str, list[str]] = json.loads(raw) if raw else {}
        keys = {key for keys in mapping.values() for key in keys}
        known: dict[str, Source] = {race_source.key: race_source, **await fetch_sources(self._db, keys)}
        return {
            figure: tuple(known.get(k) or Source(key=k, title=k) for k in figure_keys)
            for figure, figure_keys in mapping.items()
        }
