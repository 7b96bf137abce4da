"""The bundled dataset validates, and the facts the bot is built on are in it."""

from __future__ import annotations

import pytest

from db.importers.dataset import parse_dataset
from db.importers.loader import bundled_paths, load_bundled
from db.storage.sqlite import SqliteDatabase
from db.store import Store


@pytest.mark.parametrize("path", bundled_paths(), ids=lambda p: p.name)
def test_every_bundled_file_validates(path) -> None:  # type: ignore[no-untyped-def]
    parse_dataset(path)


async def scalar(db: SqliteDatabase, sql: str, *params: object) -> object:
    row = await db.fetch_one(sql, params)
    assert row is not None
    return row[0]


async def test_kansas_2024_has_the_full_38_car_field(db: SqliteDatabase) -> None:
    store = Store(db)
    track = await store.tracks.find_track(query="kansas")
    assert track is not None
    races = await store.races.races_at_track(track_id=track.id, series="cup", season=2024)
    spring = next(r for r in races if r.name == "AdventHealth 400")
    result = await store.races.race_result(race_id=spring.id)
    assert result is not None
    assert len(result.results) == 38
    assert [r.driver for r in result.results[:2]] == ["Kyle Larson", "Chris Buescher"]
    assert result.results[0].car_number == "5"
    assert result.margin_s == 0.001
    assert sum(r.laps_led for r in result.results) == 268
    assert result.pole is not None and result.pole.driver == "Christopher Bell"
    assert (result.cautions, result.caution_laps) == (7, 43)
    assert any("rain" in note for note in result.notes)
    assert result.race.status == "official"
    assert {s.driver for s in result.stages if s.position == 1} == {"Denny Hamlin", "Chris Buescher"}


async def test_kansas_start_time_is_converted_from_eastern_daylight_time(db: SqliteDatabase) -> None:
    start = await scalar(db, "SELECT start_utc FROM races WHERE season = 2024 AND race_number = 12")
    assert start == "2024-05-05T19:00:00+00:00"  # 3:00 pm EDT


async def test_schedules_have_36_points_races_each(db: SqliteDatabase) -> None:
    for season in (2024, 2026):
        count = await scalar(
            db, "SELECT count(*) FROM races WHERE season = ? AND points_race = 1 AND series = 'cup'", season
        )
        assert count == 36, season


async def test_closest_finish_list_is_sourced_and_ranked_only_as_far_as_sources_rank(
    db: SqliteDatabase,
) -> None:
    top = await scalar(
        db, "SELECT d.name FROM notable_finishes n JOIN drivers d ON d.id = n.winner_id WHERE n.rank = 1"
    )
    assert top == "Kyle Larson"
    assert await scalar(db, "SELECT count(*) FROM notable_finishes WHERE sources IN ('', '[]')") == 0
    assert await scalar(db, "SELECT max(rank) FROM notable_finishes") <= 12  # type: ignore[operator]
    assert await scalar(db, "SELECT count(*) FROM notable_finishes WHERE rank = 2 AND tied = 1") == 2


async def test_seed_quotes_carry_speaker_and_source(db: SqliteDatabase) -> None:
    assert await scalar(db, "SELECT count(*) FROM quotes") >= 5  # type: ignore[operator]
    if db.dialect.name == "sqlite":
        hit = await scalar(
            db,
            """SELECT d.name FROM quotes_fts f JOIN quotes q ON q.id = f.rowid JOIN drivers d ON d.id = q.speaker_id
               WHERE quotes_fts MATCH '"sucks to be that close"'""",
        )
    else:  # the same phrase against the quotes_search index (postgres/0001_initial.sql)
        hit = await scalar(
            db,
            """SELECT d.name FROM quotes q JOIN drivers d ON d.id = q.speaker_id
               WHERE to_tsvector('simple', pf_fold(q.text || ' ' || coalesce(q.context, '')))
                     @@ phraseto_tsquery('simple', pf_fold('sucks to be that close'))""",
        )
    assert hit == "Chris Buescher"


async def test_loading_the_bundled_data_again_changes_nothing(db: SqliteDatabase) -> None:
    if db.dialect.name == "postgres":  # no total_changes(): a data write that changed a row moves the version
        version = await db.data_version()
        assert await load_bundled(db) == 0
        assert await db.data_version() == version
        return
    before = await scalar(db, "SELECT total_changes()")
    assert await load_bundled(db) == 0
    assert await scalar(db, "SELECT total_changes()") == before
