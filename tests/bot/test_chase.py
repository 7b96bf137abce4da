"""The Chase/playoff picture from official points and the season's sourced format."""

from __future__ import annotations

from pathlib import Path

from bot.chase import Placing, chase_picture
from db.importers.feed.points_sync import sync_points
from db.models.standings import StandingsSnapshot
from db.repos.points_formats import format_for
from db.repos.standings import StandingsStore
from db.storage.sqlite import SqliteDatabase
from tests.db.fake_feed import BASE, FakeFeed
from tests.db.points_fixtures import NOW, final_url, sync_final


async def snapshot_of(db: SqliteDatabase, season: int, after: int | None = None) -> StandingsSnapshot:
    snapshot = await StandingsStore(db).standings(series="cup", season=season, after_race=after)
    assert snapshot is not None
    return snapshot


def by_driver(placings: tuple[Placing, ...]) -> dict[str, Placing]:
    return {p.row.driver: p for p in placings}


async def test_chase_format_top_16_on_points_with_the_gap_to_the_line(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    snapshot = await snapshot_of(db, 2030)

    picture = chase_picture(snapshot, format_for("cup", 2030))

    assert picture.phase == "regular" and picture.regular_season_races == 26
    placings = by_driver(picture.placings)
    assert (placings["Alex Apex"].status, placings["Alex Apex"].cutoff_gap) == ("in", 90 - 38)
    assert (placings["Parker Pit"].status, placings["Parker Pit"].cutoff_gap) == ("in", 3)  # 16th: 41 vs 38
    assert (placings["Quinn Quarter"].status, placings["Quinn Quarter"].cutoff_gap) == ("out", -3)
    assert placings["Blair Banking"].gap_leader == 6 and placings["Alex Apex"].gap_leader == 0
    assert picture.line_after == 16


async def test_win_and_in_uses_nascars_projection_not_the_points_order(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2019_cup_after5.json", season=2019)
    snapshot = await snapshot_of(db, 2019)

    picture = chase_picture(snapshot, format_for("cup", 2019))

    placings = by_driver(picture.placings)
    assert (placings["Quinn Quarter"].status, placings["Quinn Quarter"].cutoff_gap) == ("in_on_win", None)
    assert (placings["Parker Pit"].status, placings["Parker Pit"].cutoff_gap) == ("out", -10)
    assert (placings["Oakley Oval"].status, placings["Oakley Oval"].cutoff_gap) == ("in", 10)
    assert placings["Rory Restart"].status is None  # no playoff rank in the feed
    assert picture.line_after is None  # the field is not a contiguous block of the points order


async def test_the_field_is_set_after_the_last_regular_season_race(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    snapshot = (await snapshot_of(db, 2030)).model_copy(update={"after_race": 26})

    picture = chase_picture(snapshot, format_for("cup", 2030))

    placings = by_driver(picture.placings)
    assert picture.phase == "set" and placings["Parker Pit"].status == "qualified"
    assert placings["Quinn Quarter"].status == "missed" and placings["Quinn Quarter"].cutoff_gap is None
    assert picture.line_after is None


async def test_in_the_chase_the_top_16_after_the_reset_are_the_chase_drivers(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    snapshot = (await snapshot_of(db, 2030)).model_copy(update={"after_race": 30})

    picture = chase_picture(snapshot, format_for("cup", 2030))

    statuses = [p.status for p in picture.placings]
    assert picture.phase == "postseason" and statuses[:16] == ["postseason"] * 16 and statuses[16] is None


async def test_a_season_without_a_format_shows_points_and_gaps_to_the_leader_only(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json", season=2010)
    snapshot = await snapshot_of(db, 2010)

    picture = chase_picture(snapshot, format_for("cup", 2010))

    assert picture.fmt is None and picture.phase is None
    assert all(p.status is None and p.cutoff_gap is None for p in picture.placings)
    assert [p.gap_leader for p in picture.placings][:3] == [0, 6, 13]


async def test_real_2020_sample_byron_holds_the_last_spot_by_6_dillon_misses_by_6(
    db: SqliteDatabase, shared_data: Path
) -> None:
    sample = shared_data / "nascar-feed-samples" / "rbiesser-2020-cup-drivers-points.json"
    await sync_points(
        db, FakeFeed({final_url(2020): sample}), base_url=BASE, series="cup", season=2020, clock=lambda: NOW
    )

    placings = by_driver(chase_picture(await snapshot_of(db, 2020), format_for("cup", 2020)).placings)

    assert (placings["Kevin Harvick"].status, placings["Kevin Harvick"].gap_leader) == ("in_on_win", 0)
    assert (placings["William Byron"].status, placings["William Byron"].cutoff_gap) == ("in", 6)
    assert (placings["Austin Dillon"].status, placings["Austin Dillon"].cutoff_gap) == ("out", -6)
    assert placings["Kyle Larson"].status is None  # rank 0 in NASCAR's feed
