"""Feed JSON → plain records. Pure functions: no I/O, no database; shapes per shared/NASCAR-FEED.md §4."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
SERIES_BY_ID: dict[int, str] = {1: "cup", 2: "xfinity", 3: "truck"}
RACE_RUN_TYPE = 3


class FeedFormatError(Exception):
    """A feed body that does not have the documented shape."""


@dataclass(frozen=True)
class FeedRace:
    race_id: int
    series: str
    season: int
    name: str
    points_race: bool
    track_name: str
    start_utc: dt.datetime | None
    race_day: dt.date | None  # the Eastern calendar day of the start
    tv: str | None
    radio: str | None
    scheduled_laps: int | None
    scheduled_miles: float | None
    stage_ends: tuple[int, ...]
    run: bool  # the race list names a winner: results should exist


@dataclass(frozen=True)
class FeedResult:
    finish: int
    start: int | None
    car: str
    driver: str
    driver_feed_id: int | None
    team: str | None
    make: str | None
    laps: int | None
    led: int
    status: str
    points: int | None


@dataclass(frozen=True)
class FeedStageResult:
    stage: int
    position: int
    car: str | None
    driver: str
    driver_feed_id: int | None
    points: int | None


@dataclass(frozen=True)
class FeedWeekend:
    race: FeedRace
    official: bool  # NASCAR's inspection_complete
    actual_laps: int | None
    actual_miles: float | None
    cautions: int | None
    caution_laps: int | None
    lead_changes: int | None
    leaders: int | None
    margin_text: str | None
    margin_s: float | None
    average_speed_mph: float | None
    pole_feed_id: int | None
    pole_speed_mph: float | None
    results: tuple[FeedResult, ...] = ()
    stages: tuple[FeedStageResult, ...] = ()
    caution_segments: tuple[tuple[int, int, str | None, str | None], ...] = ()
    lead_segments: tuple[tuple[int, int, str], ...] = ()


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _positive(value: Any) -> float | None:
    """Speeds, distances and laps: 0 and negatives are the feed's "not yet known"."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


def _eastern(value: Any) -> dt.datetime | None:
    """A naive US Eastern wall-clock string as an aware time; placeholders (1900-01-01, 0001-01-01) are None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year < 1949:
        return None
    return parsed.replace(tzinfo=EASTERN) if parsed.tzinfo is None else parsed


def _race_start_utc(entry: dict[str, Any]) -> dt.datetime | None:
    """The race event's start_time_utc when posted (exact); else race_date read as Eastern wall clock."""
    for event in entry.get("schedule") or []:
        if isinstance(event, dict) and event.get("run_type") == RACE_RUN_TYPE:
            value = event.get("start_time_utc")
            if isinstance(value, str) and value and not value.startswith(("0001", "1900")):
                return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    eastern = _eastern(entry.get("race_date")) or _eastern(entry.get("date_scheduled"))
    return eastern.astimezone(dt.UTC) if eastern else None


def parse_margin(value: Any) -> tuple[str | None, float | None]:
    """The feed's margin text ("4.705", ".786", "Caution", "") and its seconds when it is a number."""
    text = _text(value)
    if text is None:
        return None, None
    try:
        seconds = float(text)
    except ValueError:
        return text, None
    return text, seconds if seconds >= 0 else None


def parse_race(entry: Any) -> FeedRace:
    if not isinstance(entry, dict) or not isinstance(entry.get("race_id"), int):
        raise FeedFormatError("race entry without a race_id")
    series = SERIES_BY_ID.get(entry.get("series_id", 0))
    if series is None:
        raise FeedFormatError(f"race {entry['race_id']}: unknown series_id {entry.get('series_id')!r}")
    start = _race_start_utc(entry)
    stage_lengths = [entry.get(f"stage_{n}_laps") for n in range(1, 5)]
    ends: list[int] = []
    for length in stage_lengths:
        # The feed gives each stage's length; we store where each stage ends.
        if isinstance(length, int) and length > 0:
            ends.append((ends[-1] if ends else 0) + length)
    laps = _int(entry.get("scheduled_laps"))
    return FeedRace(
        race_id=entry["race_id"],
        series=series,
        season=int(entry.get("race_season") or 0),
        name=_text(entry.get("race_name")) or f"Race {entry['race_id']}",
        points_race=entry.get("race_type_id") == 1,
        track_name=_text(entry.get("track_name")) or "Unknown track",
        start_utc=start,
        race_day=start.astimezone(EASTERN).date() if start else None,
        tv=_text(entry.get("television_broadcaster")),
        radio=_text(entry.get("radio_broadcaster")),
        scheduled_laps=laps if laps is not None and laps > 1 else None,  # 1 is a placeholder
        scheduled_miles=_positive(entry.get("scheduled_distance")),
        stage_ends=tuple(ends),
        run=entry.get("winner_driver_id") not in (None, 0),
    )


def parse_race_list(body: Any, *, series: str | None = None) -> list[FeedRace]:
    """Both race-list forms: {"series_1": [...], ...} (all series) and a plain list (one series)."""
    if isinstance(body, dict):
        entries = [e for key, value in body.items() if key.startswith("series_") for e in (value or [])]
    elif isinstance(body, list):
        entries = body
    else:
        raise FeedFormatError("race list is neither a list nor a series map")
    races = [parse_race(entry) for entry in entries]
    return [race for race in races if series is None or race.series == series]


def _result(row: dict[str, Any]) -> FeedResult:
    return FeedResult(
        finish=int(row["finishing_position"]),
        start=_int(row.get("starting_position")) or None,
        car=str(row.get("car_number") or ""),
        driver=str(row.get("driver_fullname") or "").strip(),
        driver_feed_id=_int(row.get("driver_id")) or None,
        team=_text(row.get("team_name")),
        make=_text(row.get("car_make")),
        laps=_int(row.get("laps_completed")),
        led=_int(row.get("laps_led")) or 0,
        # Lower case like nascaR.data and the bundled data ("running", "accident").
        status=(_text(row.get("finishing_status")) or "-").lower(),
        points=_int(row.get("points_earned")),
    )


def parse_weekend(body: Any) -> FeedWeekend | None:
    """The race and its results; None when the feed has nothing for it (`null`, `weekend_race: null`, `[]`)."""
    try:
        return _parse_weekend(body)
    except (KeyError, TypeError, ValueError) as error:
        raise FeedFormatError(f"weekend feed: unexpected shape ({error!r})") from None


def _parse_weekend(body: Any) -> FeedWeekend | None:
    if not isinstance(body, dict):
        return None
    races = body.get("weekend_race")
    if not isinstance(races, list) or not races or not isinstance(races[0], dict):
        return None
    entry = races[0]
    results = sorted((_result(r) for r in entry.get("results") or [] if isinstance(r, dict)), key=lambda r: r.finish)
    stages = [
        FeedStageResult(
            stage=int(stage["stage_number"]),
            position=int(row["finishing_position"]),
            car=_text(row.get("car_number")),
            driver=str(row.get("driver_fullname") or "").strip(),
            driver_feed_id=_int(row.get("driver_id")) or None,
            points=_int(row.get("stage_points")),
        )
        for stage in entry.get("stage_results") or []
        for row in stage.get("results") or []
    ]
    margin_text, margin_s = parse_margin(entry.get("margin_of_victory"))
    run = bool(results)
    return FeedWeekend(
        race=parse_race(entry),
        official=bool(entry.get("inspection_complete")),
        # Before a race is run the feed fills these with zeros: only trust them once results exist.
        actual_laps=_int(entry.get("actual_laps")) if run else None,
        actual_miles=_positive(entry.get("actual_distance")) if run else None,
        cautions=_int(entry.get("number_of_cautions")) if run else None,
        caution_laps=_int(entry.get("number_of_caution_laps")) if run else None,
        lead_changes=_int(entry.get("number_of_lead_changes")) if run else None,
        leaders=_int(entry.get("number_of_leaders")) if run else None,
        margin_text=margin_text if run else None,
        margin_s=margin_s if run else None,
        average_speed_mph=_positive(entry.get("average_speed")) if run else None,
        pole_feed_id=_int(entry.get("pole_winner_driver_id")) or None,
        pole_speed_mph=_positive(entry.get("pole_winner_speed")),
        results=tuple(results),
        stages=tuple(sorted(stages, key=lambda s: (s.stage, s.position))),
        caution_segments=tuple(
            (int(c["start_lap"]), int(c["end_lap"]), _text(c.get("reason")), _text(c.get("comment")))
            for c in entry.get("caution_segments") or []
        ),
        lead_segments=tuple(
            (int(s["start_lap"]), int(s["end_lap"]), str(s["car_number"])) for s in entry.get("race_leaders") or []
        ),
    )
