"""Our dataset format: YAML (or JSON) files validated by these pydantic models.

A dataset file may hold any of the sections; `photofinish data load FILE` loads one file in
one transaction. Cross-references (a race's track, a result's driver, a quote's race) are
resolved against the file itself and the database, and a dangling one fails the whole file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

EASTERN = ZoneInfo("America/New_York")

Series = Literal["cup", "xfinity", "truck"]
RaceStatus = Literal["scheduled", "provisional", "official"]
SourceKey = Annotated[str, Field(min_length=1, max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    """A document a fact comes from; facts cite it by key."""

    key: SourceKey
    title: str = Field(min_length=1)
    url: str | None = None
    published: dt.date | None = None
    publisher: str | None = None


class NameSpec(_Strict):
    """A sourced name: one a track or driver carried in given seasons ("name"), or a nickname."""

    name: str = Field(min_length=1)
    kind: Literal["name", "nickname"] = "nickname"
    first: int | None = Field(default=None, ge=1949, le=2100, description="first season the name applied")
    last: int | None = Field(default=None, ge=1949, le=2100, description="last season the name applied")
    source: SourceKey

    @model_validator(mode="after")
    def _ordered(self) -> NameSpec:
        if self.first is not None and self.last is not None and self.first > self.last:
            raise ValueError(f"'{self.name}': first season {self.first} is after last season {self.last}")
        return self


class TrackSpec(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    aliases: list[str] = []
    names: list[NameSpec] = Field(default=[], description="former names with their seasons, and nicknames")
    city: str | None = None
    state: str | None = None
    length_miles: float | None = Field(default=None, gt=0)
    surface: Literal["paved", "dirt", "road", "street"] | None = None
    timezone: str = "America/New_York"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)
        return value


class DriverSpec(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    names: list[NameSpec] = Field(default=[], description="nicknames (and other names) with their sources")


class PoleSpec(_Strict):
    driver: str
    time_s: float | None = Field(default=None, gt=0)
    speed_mph: float | None = Field(default=None, gt=0)
    source: SourceKey


class ResultSpec(_Strict):
    pos: int = Field(ge=1, le=99)
    start: int | None = Field(default=None, ge=1, le=99)
    car: str = Field(pattern=r"^[0-9]{1,3}[A-Za-z]?$")
    driver: str = Field(min_length=1)
    team: str | None = None
    make: str | None = None
    laps: int | None = Field(default=None, ge=0)
    status: str = "running"
    led: int = Field(default=0, ge=0)
    points: int | None = None
    rating: float | None = None
    stages: list[int | None] = Field(default=[], description="stage finishing positions, stage 1 first")

    @field_validator("car", mode="before")
    @classmethod
    def _car_is_text(cls, value: Any) -> Any:
        # "00" and "0" are different cars; a bare YAML number would lose that.
        if isinstance(value, int):
            raise ValueError("car number must be quoted text, e.g. '5' or '00'")
        return value


class RaceSpec(_Strict):
    series: Series = "cup"
    season: int = Field(ge=1949, le=2100)
    race_number: int | None = Field(default=None, ge=1, description="points-race number; none for exhibitions")
    name: str = Field(min_length=1)
    track: str = Field(description="track key")
    track_called: str | None = Field(default=None, description="the track's name as this race's source gives it")
    start_et: dt.datetime | None = Field(default=None, description="scheduled green flag, US Eastern wall clock")
    date: dt.date | None = Field(default=None, description="race day when no start time is sourced")
    date_known: bool = Field(default=True, description="false: no source gives this race's day (say so, never guess)")
    tv: str | None = None
    radio: str | None = None
    points_race: bool = True
    scheduled_laps: int | None = Field(default=None, ge=1)
    scheduled_miles: float | None = Field(default=None, gt=0)
    actual_laps: int | None = Field(default=None, ge=0)
    actual_miles: float | None = Field(default=None, ge=0)
    stage_ends: list[int] = []
    status: RaceStatus = "scheduled"
    winner: str | None = None
    cautions: int | None = Field(default=None, ge=0)
    caution_laps: int | None = Field(default=None, ge=0)
    lead_changes: int | None = Field(default=None, ge=0)
    leaders: int | None = Field(default=None, ge=0)
    margin_text: str | None = None
    margin_s: float | None = Field(default=None, ge=0)
    average_speed_mph: float | None = Field(default=None, gt=0)
    pole: PoleSpec | None = None
    notes: list[str] = []
    source: SourceKey = Field(description="source of the schedule entry / race as a whole")
    field_sources: dict[str, list[SourceKey]] = Field(
        default={}, description="per-figure sources, e.g. {'margin': ['W', 'AP24']}"
    )
    results: list[ResultSpec] = []

    @field_validator("start_et")
    @classmethod
    def _naive_eastern(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("start_et is a wall-clock time in US Eastern: write it without an offset")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RaceSpec:
        if self.date_known and self.start_et is None and self.date is None:
            raise ValueError("a race needs start_et or date (or date_known: false when no source gives its day)")
        if not self.date_known and (self.start_et is not None or self.date is not None):
            raise ValueError("date_known: false contradicts a start_et or date")
        positions = [r.pos for r in self.results]
        duplicates = sorted({p for p in positions if positions.count(p) > 1})
        if duplicates:
            raise ValueError(f"duplicate finishing positions: {duplicates}")
        if self.results and sorted(positions) != list(range(1, len(positions) + 1)):
            raise ValueError("finishing positions must run 1..N without gaps")
        cars = [r.car for r in self.results]
        dup_cars = sorted({c for c in cars if cars.count(c) > 1})
        if dup_cars:
            raise ValueError(f"duplicate car numbers: {dup_cars}")
        if self.points_race and self.race_number is None:
            raise ValueError("a points race needs race_number")
        return self

    @property
    def start_utc(self) -> dt.datetime | None:
        """Scheduled start in UTC; the ET wall clock is converted with zoneinfo (DST-safe)."""
        if self.start_et is None:
            return None
        return self.start_et.replace(tzinfo=EASTERN).astimezone(dt.UTC)


class QuoteSpec(_Strict):
    text: str = Field(min_length=1, max_length=1500)
    speaker: str
    race: RaceRef | None = None
    context: str | None = None
    said_to: str | None = Field(default=None, description="who the words were said to (outlet/interviewer)")
    said_on: dt.date | None = None
    source: SourceKey = Field(description="the article the quote was read in")


class RaceRef(_Strict):
    series: Series = "cup"
    season: int
    race_number: int


class NotableFinishSpec(_Strict):
    rank: int | None = Field(default=None, ge=1, description="rank as the sources give it; none = unranked")
    tied: bool = False
    margin_s: float = Field(ge=0)
    winner: str
    runner_up: str | None = None
    track: str = Field(description="track key")
    race_name: str
    season: int
    date_text: str = Field(description="the date as precisely as the sources give it")
    date: dt.date | None = None
    points_race: bool = True
    series: Series = "cup"
    note: str | None = None
    sources: list[SourceKey] = Field(min_length=1)


class Dataset(_Strict):
    """One dataset file."""

    sources: list[SourceSpec] = []
    tracks: list[TrackSpec] = []
    drivers: list[DriverSpec] = []
    races: list[RaceSpec] = []
    quotes: list[QuoteSpec] = []
    notable_finishes: list[NotableFinishSpec] = []


QuoteSpec.model_rebuild()


class DatasetError(Exception):
    """A dataset file that cannot be loaded; the message names the file and the field."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)


def _format_validation(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def parse_dataset(path: Path) -> Dataset:
    """Read and validate one dataset file; raise DatasetError naming the file and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DatasetError(path, f"cannot read file ({error.strerror})") from None
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DatasetError(path, f"not valid {'JSON' if path.suffix == '.json' else 'YAML'}{where}") from None
    if not isinstance(raw, dict):
        raise DatasetError(path, "top level must be a mapping of sections (sources, tracks, races, ...)")
    try:
        return Dataset.model_validate(raw)
    except ValidationError as error:
        raise DatasetError(path, _format_validation(error)) from None


def dataset_json_schema() -> dict[str, Any]:
    return Dataset.model_json_schema()
