"""Writing parsed feed records into the store, inside the caller's transaction.

A figure the feed does not know (None) never erases one we hold from another source; a figure it
confirms gains 'nascar-feed' in field_sources; one it changes is re-sourced to the feed. Writing the
same response twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from db.importers.feed.client import FeedResponse
from db.importers.feed.parse import FeedRace, FeedWeekend
from db.importers.resolve import FEED_SOURCE, NameResolver
from db.repos.rows import to_utc_text
from db.storage.database import Database, Row, insert_id

FEED = FEED_SOURCE[0]

# column → figure name in field_sources (what builders cite)
FIGURES = {
    "start_utc": "start",
    "tv": "tv",
    "radio": "radio",
    "scheduled_laps": "scheduled_laps",
    "scheduled_miles": "scheduled_laps",
    "stage_ends": "stages",
    "actual_laps": "actual_laps",
    "actual_miles": "actual_laps",
    "cautions": "cautions",
    "caution_laps": "cautions",
    "lead_changes": "lead_changes",
    "leaders": "lead_changes",
    "margin_text": "margin",
    "margin_s": "margin",
    "average_speed_mph": "average_speed",
    "pole_driver_id": "pole",
    "pole_speed_mph": "pole",
    "winner_id": "winner",
    "status": "status",
}


@dataclass(frozen=True)
class WeekendOutcome:
    race_id: int
    status_before: str
    status_after: str
    changed: bool
    corrected: bool

    @property
    def turned_official(self) -> bool:
        return self.status_after == "official" and self.status_before != "official"


async def store_raw(db: Database, url: str, response: FeedResponse, now: dt.datetime) -> None:
    """Keep every response (also 403s and nulls): imports become replayable and fixtures come from here."""
    raw = response.raw or (json.dumps(response.body).encode() if response.body is not None else b"")
    await db.execute(
        """INSERT INTO raw_responses (url, fetched_at, status, sha256, body) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING""",
        (url, to_utc_text(now), response.status, hashlib.sha256(raw).hexdigest(), raw),
    )


async def _merge(
    db: Database,
    row: Row,
    values: dict[str, Any],
    now: dt.datetime,
    *,
    nullable: frozenset[str] = frozenset(),
    sources: dict[str, list[str]] | None = None,
) -> bool:
    """Update the race with the feed's known values; returns whether anything changed."""
    original: dict[str, list[str]] = json.loads(row["field_sources"] or "{}")
    sources = {k: list(v) for k, v in (original if sources is None else sources).items()}
    changed: dict[str, Any] = {}
    for column, value in values.items():
        if value is None and column not in nullable:
            continue
        figure = FIGURES.get(column)
        if row[column] != value:
            changed[column] = value
            if figure:
                sources[figure] = [FEED]
        elif figure and FEED not in sources.setdefault(figure, []):
            sources[figure].append(FEED)
    if not changed and sources == original:
        return False
    changed["field_sources"] = json.dumps(sources)
    changed["updated_at"] = to_utc_text(now)
    await db.execute(
        f"UPDATE races SET {', '.join(f'{c} = ?' for c in changed)} WHERE id = ?", (*changed.values(), row["id"])
    )
    return True


async def upsert_race(
    db: Database, race: FeedRace, race_number: int | None, names: NameResolver, now: dt.datetime
) -> tuple[int, bool]:
    """The schedule side of a race (no results); returns (race id, whether it was added or changed)."""
    row = await db.fetch_one("SELECT * FROM races WHERE feed_race_id = ?", (race.race_id,))
    if row is None and race.points_race and race_number is not None:
        row = await db.fetch_one(
            "SELECT * FROM races WHERE series = ? AND season = ? AND race_number = ?",
            (race.series, race.season, race_number),
        )
    if row is None and not race.points_race:
        row = await db.fetch_one(
            "SELECT * FROM races WHERE series = ? AND season = ? AND race_number IS NULL AND name = ?",
            (race.series, race.season, race.name),
        )
    start = to_utc_text(race.start_utc) if race.start_utc else None
    values: dict[str, Any] = {
        "feed_race_id": race.race_id,
        "start_utc": start,
        "race_date": race.race_day.isoformat() if race.race_day else None,
        "date_known": 1 if race.race_day else None,
        "tv": race.tv,
        "radio": race.radio,
        "scheduled_laps": race.scheduled_laps,
        "scheduled_miles": race.scheduled_miles,
        "stage_ends": json.dumps(list(race.stage_ends)) if race.stage_ends else None,
    }
    if row is not None:
        if row["status"] != "scheduled":
            values["stage_ends"] = None  # the weekend feed's actual stage ends win over the plan
        if row["source"] == FEED:  # our own row: the feed's name and track are the truth
            values["name"] = race.name
            values["track_id"] = await names.track_id(race.track_name)
        return int(row["id"]), await _merge(db, row, values, now)
    if race.race_day is None:
        raise ValueError(f"feed race {race.race_id} has no date; not stored")
    values.update(
        series=race.series,
        season=race.season,
        race_number=race_number if race.points_race else None,
        name=race.name,
        track_id=await names.track_id(race.track_name),
        points_race=int(race.points_race),
        status="scheduled",
        source=FEED,
        field_sources=json.dumps({FIGURES[c]: [FEED] for c, v in values.items() if c in FIGURES and v is not None}),
        updated_at=to_utc_text(now),
    )
    values["stage_ends"] = values["stage_ends"] or "[]"
    values["date_known"] = 1
    return await insert_id(
        db, f"INSERT INTO races ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})", tuple(values.values())
    ), True


async def _replace_rows(
    db: Database, table: str, columns: str, race_id: int, rows: list[tuple[Any, ...]], order: str
) -> bool:
    found = await db.fetch(f"SELECT {columns} FROM {table} WHERE race_id = ? ORDER BY {order}", (race_id,))
    stored = [tuple(r) for r in found]
    if stored == rows:
        return False
    await db.execute(f"DELETE FROM {table} WHERE race_id = ?", (race_id,))
    marks = ", ".join("?" * (len(columns.split(",")) + 1))
    await db.execute_many(
        f"INSERT INTO {table} (race_id, {columns}) VALUES ({marks})", [(race_id, *row) for row in rows]
    )
    return True


async def apply_weekend(
    db: Database, race_id: int, weekend: FeedWeekend, names: NameResolver, now: dt.datetime
) -> WeekendOutcome:
    """Results, stages, cautions, leaders and race figures from a weekend feed that has results."""
    row = await db.fetch_one("SELECT * FROM races WHERE id = ?", (race_id,))
    assert row is not None
    before = str(row["status"])
    sources: dict[str, list[str]] = json.loads(row["field_sources"] or "{}")
    results_were_feed = sources.get("results") == [FEED]
    by_feed_id: dict[int, int] = {}
    result_rows = []
    for r in weekend.results:
        driver_id = await names.driver_id(r.driver, feed_id=r.driver_feed_id)
        if r.driver_feed_id is not None:
            by_feed_id[r.driver_feed_id] = driver_id
        result_rows.append((r.finish, r.start, r.car, driver_id, r.team, r.make, r.laps, r.led, r.status, r.points))
    stage_rows = [
        (s.stage, s.position, s.car, await names.driver_id(s.driver, feed_id=s.driver_feed_id), s.points)
        for s in weekend.stages
    ]
    results_changed = await _replace_rows(
        db, "results", "finish, start, car_number, driver_id, team, make, laps, laps_led, status, points",
        race_id, result_rows, "finish",
    )  # fmt: skip
    changed = results_changed
    if stage_rows:
        changed |= await _replace_rows(
            db, "stage_results", "stage, position, car_number, driver_id, points", race_id, stage_rows,
            "stage, position",
        )  # fmt: skip
    changed |= await _replace_rows(
        db, "cautions", "start_lap, end_lap, reason, comment", race_id,
        sorted(set(weekend.caution_segments)), "start_lap",
    )  # fmt: skip
    changed |= await _replace_rows(
        db, "race_leaders", "start_lap, end_lap, car_number", race_id,
        sorted(set(weekend.lead_segments)), "start_lap, end_lap, car_number",
    )  # fmt: skip
    status = "official" if weekend.official or before == "official" else "provisional"
    values: dict[str, Any] = {
        "status": status,
        "winner_id": result_rows[0][3] if result_rows else None,
        "actual_laps": weekend.actual_laps,
        # After the race the feed's stage lengths are the laps actually run (overtime included).
        "stage_ends": json.dumps(list(weekend.race.stage_ends)) if weekend.race.stage_ends else None,
        "actual_miles": weekend.actual_miles,
        "cautions": weekend.cautions,
        "caution_laps": weekend.caution_laps,
        "lead_changes": weekend.lead_changes,
        "leaders": weekend.leaders,
        "margin_text": weekend.margin_text,
        "average_speed_mph": weekend.average_speed_mph,
        "pole_driver_id": by_feed_id.get(weekend.pole_feed_id) if weekend.pole_feed_id else None,
        "pole_speed_mph": weekend.pole_speed_mph,
    }
    nullable: frozenset[str] = frozenset()
    if weekend.margin_text is not None:
        values["margin_s"] = weekend.margin_s  # "Caution" has no seconds: clear a stale number
        nullable = frozenset({"margin_s"})
    # Whoever stored the field before, these rows are now the feed's.
    for figure in ("results", *(("stages",) if stage_rows else ())):
        if sources.get(figure) != [FEED]:
            sources[figure] = [FEED]
    corrected = results_changed and results_were_feed and before == "official"
    if corrected:
        values["corrected"] = 1  # an official result the feed later changed (e.g. a post-race penalty)
    changed |= await _merge(db, row, values, now, nullable=nullable, sources=sources)
    return WeekendOutcome(race_id, before, status, changed, corrected)
