"""Quotes, closest finishes, careers, coverage and race facts against the bundled data."""

from __future__ import annotations

from db.models.coverage import SeasonCoverage, SeriesCoverage, season_runs
from db.storage.sqlite import SqliteDatabase
from db.store import Store


async def kansas_2024(store: Store) -> dict[int, int]:
    track = await store.tracks.find_track(query="kansas")
    assert track is not None
    races = await store.races.races_at_track(track_id=track.id, series="cup", season=2024)
    return {r.race_number or 0: r.id for r in races}


async def test_quote_search_matches_words_in_any_order(db: SqliteDatabase) -> None:
    store = Store(db)

    found = await store.quotes.find_quotes(search="WILD that")

    assert {q.speaker for q in found} == {"Kyle Larson"}
    assert any(q.text == "That was wild." for q in found)
    assert all(q.source.key.startswith("seed-") for q in found)


async def test_quote_search_with_fts_syntax_is_safe(db: SqliteDatabase) -> None:
    store = Store(db)

    for text in ['"', "AND OR NOT", "*", "wild*", "text:wild", "(", "NEAR(a b)", "!!!"]:
        await store.quotes.find_quotes(search=text)

    assert await store.quotes.find_quotes(search="!!!") == []


async def test_quotes_by_speaker_and_race(db: SqliteDatabase) -> None:
    store = Store(db)
    buescher = await store.drivers.find_driver(query="Buescher")
    assert buescher is not None
    race_id = (await kansas_2024(store))[12]

    found = await store.quotes.find_quotes(speaker_id=buescher.id, race_id=race_id)

    assert len(found) == 3
    assert {q.race_name for q in found} == {"AdventHealth 400"}
    assert [r.id for r in await store.quotes.races_with_quotes()] == [race_id]


async def test_closest_finishes_are_ordered_by_margin_with_ties(db: SqliteDatabase) -> None:
    store = Store(db)

    top = await store.finishes.closest_finishes(limit=3)

    assert [(f.rank, f.tied, f.winner) for f in top] == [
        (1, False, "Kyle Larson"),
        (2, True, "Ricky Craven"),
        (2, True, "Jimmie Johnson"),
    ]
    assert [s.key for s in top[0].sources] == ["W", "NBC25", "SS"]


async def test_closest_finishes_filter_by_track_and_driver(db: SqliteDatabase) -> None:
    store = Store(db)
    dega = await store.tracks.find_track(query="dega")
    blaney = await store.drivers.find_driver(query="Blaney")
    assert dega is not None and blaney is not None

    at_dega = await store.finishes.closest_finishes(limit=25, track_id=dega.id)
    with_blaney = await store.finishes.closest_finishes(limit=25, driver_id=blaney.id)

    assert {f.track for f in at_dega} == {"Talladega Superspeedway"} and len(at_dega) == 5
    assert all(blaney.name in (f.winner, f.runner_up) for f in with_blaney) and len(with_blaney) == 3


async def test_unranked_finishes_stay_unranked(db: SqliteDatabase) -> None:
    store = Store(db)

    every = await store.finishes.closest_finishes(limit=25)

    assert len(every) == 16
    assert [f.rank for f in every[-4:]] == [None, None, None, None]


async def test_career_counts_stored_results_and_wins_on_record(db: SqliteDatabase) -> None:
    store = Store(db)
    larson = await store.drivers.find_driver(query="Yung Money")
    bell = await store.drivers.find_driver(query="Christopher Bell")
    assert larson is not None and bell is not None

    career = await store.careers.driver_career(driver=larson)
    bells = await store.careers.driver_career(driver=bell)

    assert (career.starts, career.wins, career.top5, career.top10, career.laps_led) == (1, 1, 1, 1, 63)
    assert career.wins_on_record >= career.wins
    assert career.best_finish is not None and career.best_finish.race_name == "AdventHealth 400"
    assert [s.key for s in career.result_sources] == ["nascaR.data"]
    assert bells.poles == 1 and bells.best_finish is not None and bells.best_finish.finish == 6


async def test_coverage_counts_what_is_stored(db: SqliteDatabase) -> None:
    coverage = await Store(db).coverage.coverage()

    assert coverage.races_with_results == 1
    assert coverage.results == 38
    assert coverage.quotes == 7
    assert coverage.notable_finishes == 16
    assert coverage.seasons_with_results == (2024,)
    assert 2026 in coverage.seasons
    assert coverage.last_load is not None
    assert any(s.key == "nascaR.data" for s in coverage.sources)


def test_seasons_group_into_runs_so_a_gap_shows() -> None:
    record = SeriesCoverage(
        series="cup",
        seasons=tuple(
            SeasonCoverage(season=y, races=2, with_results=2 if y != 2024 else 1, result_sources=("nascaR.data",))
            for y in (2025, 1949, 1950, 1951, 2023, 2024)
        ),
        last_import=None,
    )

    assert season_runs((2025, 1949, 1950, 1951, 2023)) == ((1949, 1951), (2023, 2023), (2025, 2025))
    assert (record.result_runs, record.partial_runs) == (((1949, 1951), (2023, 2025)), ((2024, 2024),))
    assert (record.races_with_results, record.partial_races, record.result_source_keys) == (11, 1, ("nascaR.data",))


async def test_race_facts_of_a_race_without_results(db: SqliteDatabase) -> None:
    store = Store(db)
    fall = (await kansas_2024(store))[30]

    facts = await store.race_facts.race_facts(race_id=fall)

    assert facts is not None
    assert facts.race.name == "Hollywood Casino 400" and facts.race.winner == "Ross Chastain"
    assert not facts.race.has_results
    assert [s.key for s in facts.winner_sources] == ["nascaR.data"]
    assert await store.race_facts.race_facts(race_id=10**9) is None


async def default_seasons(store: Store, query: str) -> set[int]:
    track = await store.tracks.find_track(query=query)
    assert track is not None
    return {r.season for r in await store.races.default_races(track_id=track.id, series="cup")}


async def test_result_reads_the_newest_season_with_a_field_else_a_winner_else_any_race(
    db: SqliteDatabase,
) -> None:
    store = Store(db)

    assert await default_seasons(store, "kansas") == {2024}  # 2025 and 2026 are schedules, 2024 holds the field
    assert await default_seasons(store, "daytona") == {2025}  # winners only: the newest season with one
    assert await default_seasons(store, "coronado") == {2026}  # nothing run yet: the newest on the schedule
    track = await store.tracks.find_track(query="kansas")
    assert track is not None
    assert await store.races.default_races(track_id=track.id, series="truck") == []
