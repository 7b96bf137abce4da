"""NASCAR's points feeds → plain records: the season's official driver points, and live points in a race.

Final points: `cacher/{year}/{series}/final/{series}-drivers-points.json`, a list of rows with
`position, driver_id, driver_name, car_no, points, starts, wins, playoff_rank, delta_playoff…`
(NASCAR-FEED.md 4.5). Live points: `live/feeds/series_{s}/{race_id}/live_points.json`, rows with
`points_position, first_name, last_name, is_in_chase…`, where counts may arrive as strings and
`race_id` is sent as 0 (the race is in the address). Malformed rows are skipped and counted, never
guessed: a row without a driver id, a position or points tells us nothing we could show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PointsEntry:
    position: int
    feed_driver_id: int
    driver_name: str
    car_number: str | None
    points: int
    starts: int | None = None
    wins: int | None = None
    top_5: int | None = None
    top_10: int | None = None
    poles: int | None = None
    laps_led: int | None = None
    stage_points: int | None = None
    playoff_points: int | None = None
    playoff_rank: int | None = None
    cutoff_delta: int | None = None
    in_chase: bool | None = None
    points_eligible: bool | None = None
    rookie: bool | None = None


@dataclass(frozen=True)
class ParsedPoints:
    entries: tuple[PointsEntry, ...]
    skipped: int


def final_points_url(base: str, season: int, series_id: int) -> str:
    return f"{base.rstrip('/')}/cacher/{season}/{series_id}/final/{series_id}-drivers-points.json"


def live_points_url(base: str, series_id: int, feed_race_id: int) -> str:
    return f"{base.rstrip('/')}/live/feeds/series_{series_id}/{feed_race_id}/live_points.json"


def _int(value: Any) -> int | None:
    """An int from an int or a numeric string (the live feed sends both); anything else is unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _full_name(row: dict[str, Any], first: str, last: str) -> str:
    return " ".join(x for x in (_text(row.get(first)), _text(row.get(last))) if x)


def _identity(row: dict[str, Any], position_key: str, name: str) -> tuple[int, int, int] | None:
    """Position, driver id and points: a row missing any of them (or a name) shows nothing we could use."""
    position, driver_id, points = _int(row.get(position_key)), _int(row.get("driver_id")), _int(row.get("points"))
    if position is None or position < 1 or driver_id is None or points is None or not name:
        return None
    return position, driver_id, points


def _rows(body: Any) -> list[dict[str, Any]] | None:
    if not isinstance(body, list) or not body:
        return None
    return [row for row in body if isinstance(row, dict)]


def parse_final_points(body: Any) -> ParsedPoints | None:
    """The final points feed; None when the body holds no standings (null, not a list, empty)."""
    rows = _rows(body)
    if rows is None:
        return None
    entries = []
    for row in rows:
        name = _text(row.get("driver_name")) or _full_name(row, "driver_first_name", "driver_last_name")
        identity = _identity(row, "position", name)
        if identity is None:
            continue
        position, driver_id, points = identity
        rank = _int(row.get("playoff_rank"))
        entries.append(
            PointsEntry(
                position=position,
                feed_driver_id=driver_id,
                driver_name=name,
                car_number=_text(row.get("car_no")),
                points=points,
                starts=_int(row.get("starts")),
                wins=_int(row.get("wins")),
                top_5=_int(row.get("top_5")),
                top_10=_int(row.get("top_10")),
                poles=_int(row.get("poles")),
                laps_led=_int(row.get("laps_led")),
                stage_points=_int(row.get("stage_points")),
                playoff_points=_int(row.get("playoff_points")),
                # 0 is the feed's "no playoff rank" (not eligible, or outside the top 30).
                playoff_rank=rank if rank else None,
                cutoff_delta=_int(row.get("delta_playoff")),
            )
        )
    return _finish(entries, len(body))


def parse_live_points(body: Any) -> ParsedPoints | None:
    """The live points feed during a race; None when it holds no standings."""
    rows = _rows(body)
    if rows is None:
        return None
    entries = []
    for row in rows:
        name = _full_name(row, "first_name", "last_name")
        identity = _identity(row, "points_position", name)
        if identity is None:
            continue
        position, driver_id, points = identity
        entries.append(
            PointsEntry(
                position=position,
                feed_driver_id=driver_id,
                driver_name=name,
                car_number=_text(row.get("car_number")),
                points=points,
                wins=_int(row.get("wins")),
                top_5=_int(row.get("top_5")),
                top_10=_int(row.get("top_10")),
                poles=_int(row.get("poles")),
                in_chase=_bool(row.get("is_in_chase")),
                points_eligible=_bool(row.get("is_points_eligible")),
                rookie=_bool(row.get("is_rookie")),
            )
        )
    return _finish(entries, len(body))


def _finish(entries: list[PointsEntry], total: int) -> ParsedPoints | None:
    unique: dict[int, PointsEntry] = {}
    for entry in sorted(entries, key=lambda e: (e.position, e.feed_driver_id)):
        unique.setdefault(entry.feed_driver_id, entry)  # a driver listed twice keeps the better position
    skipped = total - len(unique)
    if skipped:
        log.warning("Points feed: skipped %d of %d rows without a usable driver, position or points", skipped, total)
    if not unique:
        return None
    return ParsedPoints(entries=tuple(unique.values()), skipped=skipped)


def races_run(points: ParsedPoints) -> int:
    """Points races run when the standings were published: the most starts any driver has.

    The final feed names no race; a full-time driver has started every race, so the highest start
    count is the number of races behind these standings (Harvick: 11 starts in the 2020 sample).
    """
    return max((e.starts or 0 for e in points.entries), default=0)
