"""Row → model conversions shared by the repositories (the only place that knows column names)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from db.models import NotableFinish, Quote, RaceSummary, Source, Track

RACE_SUMMARY_SQL = """
SELECT r.id, r.series, r.season, r.race_number, r.name, r.start_utc, r.race_date, r.date_known, r.tv, r.points_race,
       r.scheduled_laps, r.scheduled_miles, r.status, r.updated_at,
       w.name AS winner_name,
       EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) AS has_results,
       r.track_called, r.field_sources,
       -- Only asked of provisional races (the official policy): has a later race of the series been run?
       CASE WHEN r.status = 'provisional' AND r.start_utc IS NOT NULL AND EXISTS (
           SELECT 1 FROM races n WHERE n.series = r.series AND n.start_utc > r.start_utc
              AND EXISTS (SELECT 1 FROM results y WHERE y.race_id = n.id)) THEN 1 ELSE 0 END AS next_race_run,
       t.id AS track_id, t.key AS track_key, t.name AS track_name, t.city AS track_city,
       t.state AS track_state, t.length_miles AS track_length, t.surface AS track_surface,
       t.timezone AS track_timezone,
       s.key AS source_key, s.title AS source_title, s.url AS source_url,
       s.published AS source_published, s.publisher AS source_publisher
FROM races r
JOIN tracks t ON t.id = r.track_id
LEFT JOIN drivers w ON w.id = r.winner_id
LEFT JOIN sources s ON s.key = r.source
"""


# Source records under the column names source_from() reads.
SOURCES_SQL = """SELECT key AS source_key, title AS source_title, url AS source_url,
       published AS source_published, publisher AS source_publisher FROM sources"""


def parse_utc(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def to_utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def source_from(row: Any, prefix: str = "source_", fallback_key: str = "") -> Source:
    key = row[f"{prefix}key"]
    if key is None:
        return Source(key=fallback_key or "unknown", title=fallback_key or "unknown source")
    published = row[f"{prefix}published"]
    return Source(
        key=key,
        title=row[f"{prefix}title"],
        url=row[f"{prefix}url"],
        published=dt.date.fromisoformat(published) if published else None,
        publisher=row[f"{prefix}publisher"],
    )


def track_from(row: Any) -> Track:
    return Track(
        id=row["track_id"],
        key=row["track_key"],
        name=row["track_name"],
        city=row["track_city"],
        state=row["track_state"],
        length_miles=row["track_length"],
        surface=row["track_surface"],
        timezone=row["track_timezone"],
    )


def race_summary_from(row: Any) -> RaceSummary:
    return RaceSummary(
        id=row["id"],
        series=row["series"],
        season=row["season"],
        race_number=row["race_number"],
        name=row["name"],
        track=track_from(row),
        start_utc=parse_utc(row["start_utc"]),
        race_date=dt.date.fromisoformat(row["race_date"]),
        date_known=bool(row["date_known"]),
        tv=row["tv"],
        points_race=bool(row["points_race"]),
        scheduled_laps=row["scheduled_laps"],
        scheduled_miles=row["scheduled_miles"],
        status=row["status"],
        winner=row["winner_name"],
        has_results=bool(row["has_results"]),
        source=source_from(row),
        updated_at=parse_utc(row["updated_at"]) or dt.datetime.now(dt.UTC),
        track_called=row["track_called"],
        status_source=_first_key(row["field_sources"], "status"),
        next_race_run=bool(row["next_race_run"]),
    )


def _first_key(field_sources: str | None, figure: str) -> str | None:
    """The first source key a race gives for a figure (read here, not in SQL: JSON in SQL is per dialect)."""
    keys = json.loads(field_sources).get(figure) if field_sources else None
    return str(keys[0]) if isinstance(keys, list) and keys else None


def json_list(value: str | None) -> list[Any]:
    loaded = json.loads(value) if value else []
    return loaded if isinstance(loaded, list) else []


NOTABLE_FINISH_SQL = """
SELECT n.id, n.rank, n.tied, n.margin_s, w.name AS winner, ru.name AS runner_up, t.name AS track,
       n.series, n.season, n.race_name, n.date_text, n.points_race, n.note, n.sources,
       (SELECT a.alias FROM track_aliases a WHERE a.track_id = n.track_id AND a.kind = 'name'
          AND (a.first_season IS NOT NULL OR a.last_season IS NOT NULL)
          AND n.season BETWEEN coalesce(a.first_season, n.season) AND coalesce(a.last_season, n.season)
        LIMIT 1) AS track_then
FROM notable_finishes n
JOIN drivers w ON w.id = n.winner_id
LEFT JOIN drivers ru ON ru.id = n.runner_up_id
JOIN tracks t ON t.id = n.track_id
"""

QUOTE_SQL = """
SELECT q.id, q.text, q.context, q.said_to, q.said_on, q.race_id, d.name AS speaker,
       r.name AS race_name, r.season AS race_season,
       CASE WHEN r.date_known = 1 THEN r.race_date END AS race_date,
       s.key AS source_key, s.title AS source_title, s.url AS source_url,
       s.published AS source_published, s.publisher AS source_publisher, q.source AS raw_source
FROM quotes q
JOIN drivers d ON d.id = q.speaker_id
LEFT JOIN races r ON r.id = q.race_id
LEFT JOIN sources s ON s.key = q.source
"""


def notable_finish_from(row: Any, sources: tuple[Source, ...]) -> NotableFinish:
    return NotableFinish(
        id=row["id"],
        rank=row["rank"],
        tied=bool(row["tied"]),
        margin_s=row["margin_s"],
        winner=row["winner"],
        runner_up=row["runner_up"],
        track=row["track"],
        series=row["series"],
        season=row["season"],
        race_name=row["race_name"],
        date_text=row["date_text"],
        points_race=bool(row["points_race"]),
        note=row["note"],
        sources=sources,
        track_then=row["track_then"],
    )


def quote_from(row: Any) -> Quote:
    return Quote(
        id=row["id"],
        text=row["text"],
        speaker=row["speaker"],
        context=row["context"],
        said_to=row["said_to"],
        said_on=dt.date.fromisoformat(row["said_on"]) if row["said_on"] else None,
        race_name=row["race_name"],
        race_season=row["race_season"],
        race_date=dt.date.fromisoformat(row["race_date"]) if row["race_date"] else None,
        source=source_from(row, fallback_key=row["raw_source"]),
    )
