"""Championship formats per series and season (bundled, sourced data): who makes the Chase or playoffs.

Read from db/data/points-formats.yaml once per process. The file holds facts about the format (field
size, how drivers qualify, what a win is worth), never a points table: standings come from NASCAR.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from db.models import Model, Series, Source

FORMATS_FILE = "points-formats.yaml"

Entry = Literal["points", "wins_then_points"]


class PointsFormatError(Exception):
    """The bundled formats file is invalid (a packaging bug, caught by the data tests)."""


class _FormatFields(Model):
    series: Series
    first_season: int
    last_season: int | None = None
    name: str
    field: int = Field(ge=1, le=40)
    entry: Entry
    regular_season_races: int | None = None
    postseason_races: int | None = None
    win_points: int | None = None
    eliminations: bool
    verified: bool


class PointsFormat(_FormatFields):
    sources: tuple[Source, ...]

    def covers(self, series: str, season: int) -> bool:
        return self.series == series and self.first_season <= season <= (self.last_season or 9999)


class _FormatEntry(_FormatFields):
    """A format as written in the file: sources by key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[str, ...] = Field(min_length=1)


class _FormatsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Source]
    formats: list[_FormatEntry]

    @model_validator(mode="after")
    def _no_overlaps(self) -> _FormatsFile:
        for i, a in enumerate(self.formats):
            for b in self.formats[i + 1 :]:
                if (
                    a.series == b.series
                    and a.first_season <= (b.last_season or 9999)
                    and b.first_season <= (a.last_season or 9999)
                ):
                    raise ValueError(f"formats overlap for {a.series}: {a.first_season} and {b.first_season}")
        return self


def parse_formats(text: str) -> tuple[PointsFormat, ...]:
    """Validate the file's text; every format must cite sources the file lists."""
    try:
        data = _FormatsFile.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as error:
        raise PointsFormatError(f"{FORMATS_FILE}: {error}") from None
    by_key = {s.key: s for s in data.sources}
    formats = []
    for index, entry in enumerate(data.formats):
        missing = [k for k in entry.sources if k not in by_key]
        if missing:
            raise PointsFormatError(f"{FORMATS_FILE}: formats[{index}] cites unknown sources {missing}")
        values = entry.model_dump(exclude={"sources"})
        formats.append(PointsFormat(**values, sources=tuple(by_key[k] for k in entry.sources)))
    return tuple(formats)


@functools.cache
def bundled_formats() -> tuple[PointsFormat, ...]:
    text = (resources.files("db") / "data" / FORMATS_FILE).read_text(encoding="utf-8")
    return parse_formats(text)


def format_for(series: str, season: int) -> PointsFormat | None:
    """The format in force for a series' season, or None when we hold no sourced format for it."""
    return next((f for f in bundled_formats() if f.covers(series, season)), None)
