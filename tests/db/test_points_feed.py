"""Parsing NASCAR's points feeds: final and live shapes, strings for counts, malformed rows."""

from __future__ import annotations

import json

from db.importers.feed.points import parse_final_points, parse_live_points, races_run
from tests.db.points_fixtures import POINTS


def load(name: str) -> object:
    return json.loads((POINTS / name).read_text(encoding="utf-8"))


def test_final_points_keep_position_points_and_the_feeds_playoff_projection() -> None:
    parsed = parse_final_points(load("final_2019_cup_after5.json"))

    assert parsed is not None and parsed.skipped == 0 and len(parsed.entries) == 18
    first, sixteenth, seventeenth, last = (parsed.entries[i] for i in (0, 15, 16, 17))
    assert (first.driver_name, first.points, first.wins, first.playoff_rank) == ("Alex Apex", 200, 2, 1)
    assert (sixteenth.playoff_rank, sixteenth.cutoff_delta) == (17, -10)
    assert (seventeenth.wins, seventeenth.playoff_rank) == (1, 3)
    assert last.playoff_rank is None  # 0 is the feed's "no playoff rank", not rank zero


def test_final_points_keep_car_numbers_as_text() -> None:
    parsed = parse_final_points(load("final_2030_cup_after2.json"))

    assert parsed is not None
    assert {e.driver_name: e.car_number for e in parsed.entries}["Finley Flag"] == "01"


def test_races_run_is_the_most_starts_any_driver_has() -> None:
    parsed = parse_final_points(load("final_2030_cup_after2.json"))

    assert parsed is not None and races_run(parsed) == 2
    assert {e.driver_name: e.starts for e in parsed.entries}["Rory Restart"] == 0


def test_live_points_read_counts_sent_as_strings_and_flags() -> None:
    parsed = parse_live_points(load("live_2030_cup_race3.json"))

    assert parsed is not None
    leader, second, substitute = parsed.entries
    assert (leader.driver_name, leader.points, leader.wins, leader.top_5) == ("Blair Banking", 121, 1, 2)
    assert second.wins == 1 and leader.in_chase is False
    assert (substitute.points_eligible, substitute.rookie, substitute.position) == (False, True, 44)
    assert leader.car_number is None  # "" is unknown, not a car number


def test_malformed_rows_are_skipped_and_counted_never_guessed() -> None:
    parsed = parse_final_points(load("malformed.json"))

    assert parsed is not None
    assert [(e.driver_name, e.position, e.points) for e in parsed.entries] == [
        ("Alex Apex", 1, 55),
        ("Finley Flag", 6, 30),
    ]
    assert parsed.entries[0].wins == 1 and parsed.entries[0].car_number is None
    assert parsed.skipped == 6  # no id, bad position, no points, not an object, a repeat, a boolean


def test_bodies_without_standings_are_not_available() -> None:
    for body in (None, [], {}, "x", [1, 2], [{"position": 1}]):
        assert parse_final_points(body) is None
        assert parse_live_points(body) is None
