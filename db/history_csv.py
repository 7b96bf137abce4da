"""Reading the nascaR.data results table (one row per car per race) into races, with clear errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

COLUMNS = (
    "Season", "Race", "Track", "Name", "Length", "Surface", "Finish", "Start", "Car", "Driver", "Make",
    "Pts", "Laps", "Led", "Status", "Team", "S1", "S2", "Rating", "Win",
)  # fmt: skip


class HistoryError(Exception):
    """A history file that cannot be imported; names the file, line and field."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


@dataclass(frozen=True, slots=True)
class HistoryResult:
    finish: int
    start: int | None
    car: str
    driver: str
    make: str | None
    points: int | None
    laps: int | None
    led: int | None
    status: str
    team: str | None
    s1: int | None
    s2: int | None
    rating: float | None


@dataclass(slots=True)
class HistoryRace:
    season: int
    race_number: int
    track: str
    name: str
    length_miles: float | None
    surface: str | None
    line: int
    results: list[HistoryResult] = field(default_factory=list)

    def duplicate_finishes(self) -> list[int]:
        seen: set[int] = set()
        repeated: set[int] = set()
        for result in self.results:
            (repeated if result.finish in seen else seen).add(result.finish)
        return sorted(repeated)


class _Row:
    """Typed access to one CSV row; empty text is NULL."""

    def __init__(self, source: str, line: int, row: dict[str, str]) -> None:
        self.source, self.line, self.row = source, line, row

    def fail(self, column: str, message: str) -> HistoryError:
        return HistoryError(self.source, f"line {self.line}, column {column}: {message}")

    def text(self, column: str) -> str | None:
        value = self.row[column].strip()
        return value or None

    def required(self, column: str) -> str:
        value = self.text(column)
        if value is None:
            raise self.fail(column, "is empty")
        return value

    def int(self, column: str) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            try:
                number = float(value)  # R wrote some integer columns as 12.0
            except ValueError:
                raise self.fail(column, f"{value!r} is not a whole number") from None
            if not number.is_integer():
                raise self.fail(column, f"{value!r} is not a whole number") from None
            return int(number)

    def float(self, column: str) -> float | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a number") from None


def parse_history(text: str, *, source: str) -> list[HistoryRace]:
    """Group the table into races in file order; fails on the first bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise HistoryError(source, f"missing column(s): {', '.join(missing)}")
    races: dict[tuple[int, int], HistoryRace] = {}
    for line, raw in enumerate(reader, start=2):
        row = _Row(source, line, raw)
        season = row.int("Season")
        number = row.int("Race")
        finish = row.int("Finish")
        if season is None or number is None or finish is None:
            raise row.fail("Season/Race/Finish", "is empty")
        key = (season, number)
        race = races.get(key)
        if race is None:
            race = races[key] = HistoryRace(
                season=season,
                race_number=number,
                track=row.required("Track"),
                name=row.required("Name"),
                length_miles=row.float("Length"),
                surface=row.text("Surface"),
                line=line,
            )
        race.results.append(
            HistoryResult(
                finish=finish,
                start=row.int("Start"),
                # Car stays text: "0", "00" and "01" are different cars. Empty means not recorded.
                car=raw["Car"].strip(),
                driver=row.required("Driver"),
                make=row.text("Make"),
                points=row.int("Pts"),
                laps=row.int("Laps"),
                led=row.int("Led"),
                status=row.text("Status") or "-",
                team=row.text("Team"),
                s1=row.int("S1"),
                s2=row.int("S2"),
                rating=row.float("Rating"),
            )
        )
    return list(races.values())


def count_rows(races: Iterable[HistoryRace]) -> int:
    return sum(len(race.results) for race in races)
