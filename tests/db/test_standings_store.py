"""The standings repository: look-ups that say what is stored instead, and the season's progression."""

from __future__ import annotations

from db.repos.standings import StandingsStore
from db.storage.sqlite import SqliteDatabase
from tests.db.points_fixtures import sync_final


async def test_no_standings_at_all_is_a_lookup_without_a_season(db: SqliteDatabase) -> None:
    found = await StandingsStore(db).lookup(series="cup", season=None, after_race=None)

    assert found.snapshot is None and found.season is None and found.seasons == ()


async def test_the_default_season_is_the_latest_with_standings(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2019_cup_after5.json", season=2019)
    await sync_final(db, "final_2030_cup_after1.json")

    found = await StandingsStore(db).lookup(series="cup", season=None, after_race=None)

    assert found.season == 2030 and found.snapshot is not None and found.snapshot.after_race == 1


async def test_a_missing_race_lists_what_the_season_has(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after1.json")
    await sync_final(db, "final_2030_cup_after2.json")

    found = await StandingsStore(db).lookup(series="cup", season=2030, after_race=7)

    assert found.snapshot is None and [s.after_race for s in found.stored] == [1, 2]


async def test_a_missing_season_lists_the_seasons_we_have(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2019_cup_after5.json", season=2019)

    found = await StandingsStore(db).lookup(series="cup", season=2018, after_race=None)

    assert found.snapshot is None and found.stored == () and found.seasons == (2019,)


async def test_another_series_has_its_own_standings(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after1.json")

    assert (await StandingsStore(db).lookup(series="truck", season=None, after_race=None)).snapshot is None


async def test_progression_follows_the_leaders_of_the_snapshot_asked_for(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after1.json")
    await sync_final(db, "final_2030_cup_after2.json")
    store = StandingsStore(db)

    whole = await store.progression(series="cup", season=2030, top=3)
    early = await store.progression(series="cup", season=2030, until=1, top=3)

    assert whole.after_races == (1, 2)
    assert [(line.driver, line.points) for line in whole.lines] == [
        ("Alex Apex", ((1, 55), (2, 90))),
        ("Blair Banking", ((1, 40), (2, 84))),
        ("Casey Chicane", ((1, 36), (2, 77))),
    ]
    assert early.after_races == (1,) and all(len(line.points) == 1 for line in early.lines)


async def test_progression_of_a_season_without_standings_is_empty(db: SqliteDatabase) -> None:
    progression = await StandingsStore(db).progression(series="cup", season=2030)

    assert progression.after_races == () and progression.lines == () and progression.source is None
