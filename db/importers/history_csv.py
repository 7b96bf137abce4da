"""Reading the nascaR.data results tables (one row per car per race) as a stream of races, with clear errors.

The three tables (Cup, Xfinity, Truck) share one header. Rows of a race are contiguous in the files, so
the reader yields one race at a time and never holds the table: a million-row file streams in constant
memory. Anything it cannot read raises HistoryError naming the file, the line and the field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from db.models import SERIES_NAMES, Series

COLUMNS = (
    "Season", "Race", "Track", "Name", "Length", "Surface", "Finish", "Start", "Car", "Driver", "Make",
    "Pts", "Laps", "Led", "Status", "Team", "S1", "S2", "Rating", "Win",
)  # fmt: skip

# The first season of each table (the series' own first season): an earlier row means a different table.
FIRST_SEASON: dict[Series, int] = {"cup": 1949, "xfinity": 1982, "truck": 1995}
_TABLE_NAME = re.compile(r"(?:^|[^a-z])(cup|xfinity|truck)[_-]series(?:[^a-z]|$)")


class HistoryError(Exception):
    """A history file that cannot be imported; names the file, line and field."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


def series_from_name(name: str) -> Series | None:
    """The series a nascaR.data file name or URL says it holds ("xfinity_series.csv" → xfinity)."""
    found = _TABLE_NAME.search(name.rsplit("/", 1)[-1].casefold())
    return found.group(1) if found else None  # type: ignore[return-value]  # the pattern admits only the three


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
    skipped: list[str] = field(default_factory=list)  # rows left out, and why

    def duplicate_finishes(self) -> list[int]:
        seen: set[int] = set()
        repeated: set[int] = set()
        for result in self.results:
            (repeated if result.finish in seen else seen).add(result.finish)
        return sorted(repeated)


class _Row:
    """Typed access to one CSV row by column name; empty text is NULL."""

    __slots__ = ("fields", "index", "line", "source")

    def __init__(self, source: str, line: int, fields: list[str], index: dict[str, int]) -> None:
        self.source, self.line, self.fields, self.index = source, line, fields, index

    def raw(self, column: str) -> str:
        return self.fields[self.index[column]]

    def fail(self, column: str, message: str) -> HistoryError:
        return HistoryError(self.source, f"line {self.line}, column {column}: {message}")

    def text(self, column: str) -> str | None:
        value = self.fields[self.index[column]].strip()
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


class _Counting(io.RawIOBase):
    """Passes bytes through while hashing and counting them (the digest and the progress bar)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.sha256.update(data)
        self.position += size
        return size


class HistoryReader:
    """Races of one table, in file order, read lazily from a binary stream; `digest` once exhausted."""

    def __init__(self, raw: BinaryIO, *, source: str, series: Series | None = None) -> None:
        self.source = source
        self.series = series
        self._counting = _Counting(raw)
        self._text = io.TextIOWrapper(io.BufferedReader(self._counting), encoding="utf-8-sig", newline="")
        self.rows = 0

    @property
    def position(self) -> int:
        """Bytes read so far (a little ahead of the rows parsed: the text layer buffers)."""
        return self._counting.position

    @property
    def digest(self) -> str:
        return self._counting.sha256.hexdigest()

    def __iter__(self) -> Iterator[HistoryRace]:
        try:
            yield from self._races()
        except UnicodeDecodeError as error:
            raise HistoryError(self.source, f"not UTF-8 text after line {self.rows + 1} ({error.reason})") from None
        except csv.Error as error:
            raise HistoryError(self.source, f"line {self.rows + 2}: not a valid CSV row ({error})") from None

    def _races(self) -> Iterator[HistoryRace]:
        reader = csv.reader(self._text)
        header = next(reader, None)
        if header is None:
            raise HistoryError(self.source, "the file is empty")
        header = [name.strip() for name in header]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise HistoryError(self.source, f"missing column(s): {', '.join(missing)}")
        width = len(header)
        index = {name: position for position, name in enumerate(header)}
        done: set[tuple[int, int]] = set()
        race: HistoryRace | None = None
        for line, fields in enumerate(reader, start=2):
            if not fields:
                continue  # a blank line
            if len(fields) != width:
                raise HistoryError(
                    self.source,
                    f"line {line} has {len(fields)} of the header's {width} fields (is the file truncated?)",
                )
            self.rows += 1
            row = _Row(self.source, line, fields, index)
            key = self._key(row)
            if race is None or key != (race.season, race.race_number):
                if race is not None:
                    done.add((race.season, race.race_number))
                    yield race
                if key in done:
                    raise row.fail("Season/Race", f"rows of season {key[0]} race {key[1]} are not together")
                race = self._race(row, key)
            self._add_result(race, row)
        if race is not None:
            yield race

    def _key(self, row: _Row) -> tuple[int, int]:
        season, number = row.int("Season"), row.int("Race")
        if season is None or number is None:
            raise row.fail("Season/Race", "is empty")
        if self.series is not None and season < FIRST_SEASON[self.series]:
            raise row.fail(
                "Season",
                f"{season} is before the {SERIES_NAMES[self.series]} began ({FIRST_SEASON[self.series]}): "
                f"this is not the {self.series} table",
            )
        return season, number

    @staticmethod
    def _race(row: _Row, key: tuple[int, int]) -> HistoryRace:
        return HistoryRace(
            season=key[0],
            race_number=key[1],
            track=row.required("Track"),
            name=row.required("Name"),
            length_miles=row.float("Length"),
            surface=row.text("Surface"),
            line=row.line,
        )

    @staticmethod
    def _add_result(race: HistoryRace, row: _Row) -> None:
        driver = row.required("Driver")
        finish = row.int("Finish")
        if finish is None:
            # Four Xfinity non-starters have no finishing position; a result needs one.
            race.skipped.append(f"line {row.line}: {driver} has no finishing position")
            return
        make = row.text("Make")
        race.results.append(
            HistoryResult(
                finish=finish,
                start=row.int("Start") or None,  # 0 is the tables' "unknown"
                # Car stays text: "0", "00" and "01" are different cars. Empty means not recorded.
                car=row.raw("Car").strip(),
                driver=driver,
                make=None if make == "-" else make,
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


def read_history_bytes(data: bytes, *, source: str, series: Series | None = None) -> tuple[list[HistoryRace], str]:
    """A whole table held in memory (tests, small files): its races and the file's sha256. The CLI streams."""
    reader = HistoryReader(io.BytesIO(data), source=source, series=series)
    return list(reader), reader.digest
