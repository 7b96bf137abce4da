"""A series schedule as shown: races in calendar order, with what is known of each."""

from __future__ import annotations

import datetime as dt

from db.models import Model, RaceSummary, Series


class ScheduleView(Model):
    """A series' schedule as of one instant: the races asked for and what the store knows around them."""

    series: Series
    races: tuple[RaceSummary, ...]
    latest_season: int | None  # newest season with any race stored
    # The seasons stored from the instant's year to the latest race shown: enough to say which of those
    # years' schedules are missing, without listing every season of the history.
    seasons: tuple[int, ...] = ()
    last_race: RaceSummary | None  # the latest race on or before the instant (for "season over" notes)
    refreshed_at: dt.datetime | None  # newest updated_at among the series' races


def calendar_order(races: list[RaceSummary]) -> tuple[RaceSummary, ...]:
    """A season in calendar order; a race no source dates sits after the dated points race before it.

    Its placeholder day (YYYY-01-01) must not put it first: 2025's races 25 and 27-30 go where their
    numbers say, between race 24 (Aug 10) and race 26 (Aug 23) and after it.
    """
    dated = sorted((r.race_number, r.race_date) for r in races if r.date_known and r.race_number is not None)

    def key(race: RaceSummary) -> tuple[dt.date, int, str]:
        when = race.race_date
        if not race.date_known:
            before = [day for number, day in dated if race.race_number is not None and number < race.race_number]
            when = max(before) if before else dt.date(race.season, 1, 1)
        moment = race.start_utc.isoformat() if race.start_utc else ""
        return when, race.race_number if race.race_number is not None else -1, moment

    return tuple(sorted(races, key=key))
