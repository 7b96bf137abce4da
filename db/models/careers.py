"""A driver's career and season-by-season record, as the stored results give them."""

from __future__ import annotations

import datetime as dt

from db.models import Driver, Model, Series, Source


class CareerResult(Model):
    race_id: int
    season: int
    race_number: int | None = None
    race_name: str
    race_date: dt.date | None  # None when the source gives no day (history imports)
    track: str
    finish: int
    car_number: str
    status: str
    laps_led: int | None  # None: not recorded for this race
    team: str | None = None
    make: str | None = None


class SeriesRecord(Model):
    """Figures count only races whose full results are stored; `wins_on_record` also counts races where
    only the winner is stored (e.g. from a schedule import)."""

    series: Series
    starts: int
    wins: int
    top5: int
    top10: int
    poles_official: int  # the race's recorded pole (feed or a cited source)
    poles_from_start: int  # started first per the results, where no pole is recorded
    poles_unknown: int  # starts where neither the pole nor the start position is recorded
    laps_led: int | None  # None: not recorded in any start
    laps_led_unknown: int  # starts without a laps-led figure
    wins_on_record: int
    first_season: int | None
    last_season: int | None
    best_finish: CareerResult | None
    latest: tuple[CareerResult, ...]
    result_sources: tuple[Source, ...]
    pole_sources: tuple[Source, ...]
    sources: tuple[Source, ...]

    @property
    def poles(self) -> int | None:
        """Poles counted; None when no start of the driver's has a recorded pole or start position."""
        counted = self.poles_official + self.poles_from_start
        return None if counted == 0 and self.poles_unknown == self.starts and self.starts else counted

    @property
    def latest_result(self) -> CareerResult | None:
        return self.latest[0] if self.latest else None


class Career(Model):
    """A driver's records, the series with the most starts first."""

    driver: Driver
    records: tuple[SeriesRecord, ...]

    def record(self, series: Series | None = None) -> SeriesRecord | None:
        """The record in one series, or the main one (most starts)."""
        if series is None:
            return self.records[0] if self.records else None
        return next((r for r in self.records if r.series == series), None)

    # The main series' figures, for callers that show one record.
    @property
    def starts(self) -> int:
        main = self.record()
        return main.starts if main else 0

    @property
    def wins(self) -> int:
        main = self.record()
        return main.wins if main else 0

    @property
    def top5(self) -> int:
        main = self.record()
        return main.top5 if main else 0

    @property
    def top10(self) -> int:
        main = self.record()
        return main.top10 if main else 0

    @property
    def poles(self) -> int | None:
        main = self.record()
        return main.poles if main else None

    @property
    def laps_led(self) -> int | None:
        main = self.record()
        return main.laps_led if main else None

    @property
    def wins_on_record(self) -> int:
        main = self.record()
        return main.wins_on_record if main else 0

    @property
    def best_finish(self) -> CareerResult | None:
        main = self.record()
        return main.best_finish if main else None

    @property
    def result_sources(self) -> tuple[Source, ...]:
        main = self.record()
        return main.result_sources if main else ()


class DriverSeason(Model):
    series: Series
    season: int
    starts: int
    wins: int
    top_5: int
    top_10: int
