"""Row → model conversions shared by the repositories (the only place that knows column names)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from db.models import RaceSummary, Source, Track

RACE_SUMMARY_SQL = """
SELECT r.id, r.series, r.season, r.race_number, r.name, r.start_utc, r.race_date, r.date_known, r.tv, r.points_race,
       r.scheduled_laps, r.scheduled_miles, r.status, r.updated_at,
       w.name AS winner_name,
       EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.id) AS has_results,
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
    )


def json_list(value: str | None) -> list[Any]:
    loaded = json.loads(value) if value else []
    return loaded if isinstance(loaded, list) else []
