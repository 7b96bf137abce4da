"""The Chase/playoff picture: official points plus the season's sourced format → who is in, and by how much.

Pure: no I/O, no Discord types. Points are NASCAR's (never recomputed); the only arithmetic is the
distance between two official totals. Where the format is win-and-in, in/out and the cutoff gap are
NASCAR's own projection from the feed (playoff_rank, delta_playoff), since eligibility rules (top
30, every race attempted, waivers) cannot be checked from standings alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from db.models.standings import StandingRow, StandingsSnapshot
from db.repos.points_formats import PointsFormat

Phase = Literal["regular", "set", "postseason"]
Status = Literal["in", "in_on_win", "out", "qualified", "missed", "postseason"]


@dataclass(frozen=True)
class Placing:
    row: StandingRow
    gap_leader: int  # points behind the leader (0 for the leader)
    status: Status | None  # None: the format or the feed does not tell
    cutoff_gap: int | None  # + above the cutoff line, − below it; None when not known or not meaningful


@dataclass(frozen=True)
class ChasePicture:
    fmt: PointsFormat | None
    phase: Phase | None  # None: no format on record
    regular_season_races: int | None
    placings: tuple[Placing, ...]
    line_after: int | None  # the cutoff line falls after this position (points formats, regular season)


def regular_season_length(fmt: PointsFormat, season_points_races: int) -> int | None:
    """The format's regular season, or the stored schedule's points races less the postseason."""
    if fmt.regular_season_races is not None:
        return fmt.regular_season_races
    if fmt.postseason_races is not None and season_points_races > fmt.postseason_races:
        return season_points_races - fmt.postseason_races
    return None


def _phase(after_race: int, regular: int | None) -> Phase:
    if regular is None or after_race < regular:
        return "regular"
    return "set" if after_race == regular else "postseason"


def chase_picture(snapshot: StandingsSnapshot, fmt: PointsFormat | None) -> ChasePicture:
    leader = snapshot.rows[0].points if snapshot.rows else 0
    if fmt is None:
        placings = tuple(Placing(r, max(leader - r.points, 0), None, None) for r in snapshot.rows)
        return ChasePicture(None, None, None, placings, None)
    regular = regular_season_length(fmt, snapshot.season_points_races)
    phase = _phase(snapshot.after_race, regular)
    if fmt.entry == "points":
        placings, line = _by_points(snapshot, fmt.field, phase, leader)
    else:
        placings, line = _by_feed_projection(snapshot, fmt.field, phase, leader), None
    return ChasePicture(fmt, phase, regular, placings, line)


def _by_points(
    snapshot: StandingsSnapshot, field: int, phase: Phase, leader: int
) -> tuple[tuple[Placing, ...], int | None]:
    """Top `field` eligible drivers on points make it; the line sits between the last in and the first out."""
    eligible = [r for r in snapshot.rows if r.points_eligible is not False]
    rank = {r.feed_driver_id: k for k, r in enumerate(eligible, start=1)}
    last_in = eligible[field - 1].points if len(eligible) >= field else None
    first_out = eligible[field].points if len(eligible) > field else None
    placings = []
    for row in snapshot.rows:
        k = rank.get(row.feed_driver_id)
        status: Status | None = None
        gap: int | None = None
        if k is not None and phase == "regular":
            status = "in" if k <= field else "out"
            reference = first_out if k <= field else last_in
            gap = row.points - reference if reference is not None else None
        elif k is not None and phase == "set":
            status = "qualified" if k <= field else "missed"
        elif phase == "postseason" and (row.in_chase or (row.in_chase is None and k is not None and k <= field)):
            # After the reset the Chase drivers hold the top positions (2,000 points and up).
            status = "postseason"
        placings.append(Placing(row, max(leader - row.points, 0), status, gap))
    line = eligible[field - 1].position if phase == "regular" and len(eligible) > field else None
    return tuple(placings), line


def _by_feed_projection(snapshot: StandingsSnapshot, field: int, phase: Phase, leader: int) -> tuple[Placing, ...]:
    placings = []
    for row in snapshot.rows:
        rank = row.playoff_rank
        status: Status | None = None
        gap: int | None = None
        if rank is not None and phase == "regular":
            won = bool(row.wins)
            status = ("in_on_win" if won else "in") if rank <= field else "out"
            # A winner is in on the win: the feed's delta is 0 for them and means nothing.
            gap = row.cutoff_delta if not (won and rank <= field) else None
        elif rank is not None and phase == "set":
            status = "qualified" if rank <= field else "missed"
        elif phase == "postseason" and row.in_chase:
            status = "postseason"
        placings.append(Placing(row, max(leader - row.points, 0), status, gap))
    return tuple(placings)
