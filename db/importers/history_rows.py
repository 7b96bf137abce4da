"""The history import's row rules: what the tables leave unknown, and what counts as a correction.

What the tables leave unknown stays unknown: a start of 0, a laps-led column that adds up to nothing
for a whole race, laps of 0 for every car, a make of "-" are stored as NULL, never as 0.
"""

from __future__ import annotations

from db.importers.history_csv import HistoryResult

ResultRow = tuple[
    int, int | None, str, int, str | None, str | None, int | None, int | None, str, int | None, float | None
]
StageRow = tuple[int, int, str, int, None]

RESULT_COLUMNS = "finish, start, car_number, driver_id, team, make, laps, laps_led, status, points, rating"
STAGE_COLUMNS = "stage, position, car_number, driver_id, points"


def laps_led(rows: list[HistoryResult]) -> list[int | None]:
    """Laps led as recorded; None for every car when the column adds up to at most one lap of a longer race.

    Early Cup races (164 of them) and whole 1982 Xfinity seasons carry 0 for every car, or 1 for the winner
    only: that is "not recorded", and showing it would credit the leaders with nothing.
    """
    total = sum(r.led or 0 for r in rows)
    longest = max((r.laps or 0 for r in rows), default=0)
    if total <= 1 and longest != 1:
        return [None] * len(rows)
    return [r.led for r in rows]


def laps(rows: list[HistoryResult]) -> list[int | None]:
    """Laps completed; None for every car when every car has 0 (six 1982 Xfinity races)."""
    if rows and all(r.laps == 0 for r in rows):
        return [None] * len(rows)
    return [r.laps for r in rows]


def is_correction(stored: list[tuple[object, ...]], fresh: list[ResultRow]) -> bool:
    """Rows that changed upstream, not rows where a figure we once stored as 0 is now known to be unknown
    (a database imported before laps led and starts could be NULL)."""
    if len(stored) != len(fresh):
        return True
    for old, new in zip(stored, fresh, strict=True):
        for before, after in zip(old, new, strict=True):
            if before != after and not (after is None and before in (0, None)):
                return True
    return False


def unique_stage_positions(stages: list[StageRow]) -> tuple[list[StageRow], list[tuple[int, int]]]:
    """Stage rows whose (stage, position) holds one car, sorted; and the positions the table gives twice."""
    count: dict[tuple[int, int], int] = {}
    for row in stages:
        count[(row[0], row[1])] = count.get((row[0], row[1]), 0) + 1
    doubled = sorted(key for key, n in count.items() if n > 1)
    return sorted(row for row in stages if count[(row[0], row[1])] == 1), doubled
