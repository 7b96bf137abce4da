"""Names the way fans say them: one matching policy for tracks and drivers, on a real migrated store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.fuzzy import NameIndex
from db.importers.history import import_history, read_history_bytes
from db.storage.sqlite import SqliteDatabase
from db.store import Store

FAN_QUESTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "fan_questions.csv"


async def import_fan_questions(db: SqliteDatabase) -> Store:
    races, digest = read_history_bytes(FAN_QUESTIONS.read_bytes(), source=FAN_QUESTIONS.name)
    await import_history(db, races, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), digest=digest)
    return Store(db)


@pytest.fixture
async def store(db: SqliteDatabase) -> Store:
    return await import_fan_questions(db)


async def driver_name(store: Store, query: str) -> str | None:
    found = await store.drivers.find_driver(query=query)
    return found.name if found else None


async def track_name(store: Store, query: str) -> str | None:
    found = await store.tracks.find_track(query=query)
    return found.name if found else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Smoke", "Tony Stewart"),  # an exact nickname beats the prefix of "Smokey Boutwell"
        ("The King", "Richard Petty"),
        ("the intimidator", "Dale Earnhardt"),
        ("Jaws", "Darrell Waltrip"),
        ("Richard Pety", "Richard Petty"),  # one typo, and no other name as close
        ("smokey", "Smokey Boutwell"),
    ],
)
async def test_drivers_by_name_nickname_or_typo(store: Store, query: str, expected: str) -> None:
    assert await driver_name(store, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mexico city", "Autódromo Hermanos Rodríguez"),
        ("Autodromo Hermanos Rodriguez", "Autódromo Hermanos Rodríguez"),
        ("fontana", "Auto Club Speedway"),
        ("California Speedway", "Auto Club Speedway"),
        ("Lowe's Motor Speedway", "Charlotte Motor Speedway"),
        ("North Carolina Motor Speedway", "Rockingham Speedway"),
        ("Dover International Speedway", "Dover Motor Speedway"),
        ("EchoPark Speedway", "Atlanta Motor Speedway"),
        ("north wilkesboro", "North Wilkesboro Speedway"),
    ],
)
async def test_tracks_by_todays_name_former_name_or_nickname(store: Store, query: str, expected: str) -> None:
    assert await track_name(store, query) == expected


async def test_a_surname_many_drivers_share_is_a_question_not_an_answer(store: Store) -> None:
    assert await store.drivers.find_driver(query="Petty") is None
    suggestions = await store.drivers.search_drivers(query="Petty", limit=3)
    # Ranked by how much of the record each holds: Richard (3 starts) before Lee (2), Adam (1) last.
    assert [m.label for m in suggestions] == ["Richard Petty", "Lee Petty", "Adam Petty"]


async def test_autocomplete_ranks_by_the_same_policy(store: Store) -> None:
    choices = await store.drivers.search_drivers(query="pett", limit=25)
    assert [m.label for m in choices][:2] == ["Richard Petty", "Lee Petty"]
    assert (await store.drivers.search_drivers(query="smoke", limit=2))[0].label == "Tony Stewart"


@pytest.mark.parametrize("query", ["", "  ", "a", "x", "."])
async def test_blank_or_one_character_names_nothing(store: Store, query: str) -> None:
    assert await store.tracks.find_track(query=query) is None
    assert await store.drivers.find_driver(query=query) is None


async def test_a_weak_fuzzy_match_is_never_a_silent_pick(store: Store) -> None:
    # "central city" shares a word with a 1950s track name; that is a suggestion at most.
    assert await store.tracks.find_track(query="central speedway city") is None
    assert await store.tracks.find_track(query="zzqx") is None


async def test_track_names_carry_their_seasons_and_sources(store: Store) -> None:
    track = await store.tracks.find_track(query="charlotte")
    assert track is not None
    lowes = track.name_in(2005)
    assert lowes is not None and lowes.name == "Lowe's Motor Speedway"
    assert lowes.source is not None and lowes.source.key == "W-CMS"
    assert track.name_in(2015) is None


async def test_driver_nicknames_carry_their_sources(store: Store) -> None:
    petty = await store.drivers.find_driver(query="The King")
    assert petty is not None
    king = next(n for n in petty.names if n.name == "The King")
    assert king.kind == "nickname" and king.source is not None and king.source.key == "DDNICK"


def test_two_names_equally_close_to_a_typo_are_not_guessed() -> None:
    index = NameIndex([(1, "Kyle Busch", "Kyle Busch"), (2, "Kurt Busch", "Kurt Busch")], {1: 5, 2: 5})
    assert index.resolve("Kylt Busch").found is None
    assert index.resolve("Kyle Busch").found == 1


def test_a_prefix_one_entity_holds_is_that_entity() -> None:
    index = NameIndex([(1, "Kansas Speedway", "Kansas Speedway"), (2, "Kentucky Speedway", "Kentucky Speedway")])
    resolved = index.resolve("kan")
    assert (resolved.outcome, resolved.found) == ("prefix", 1)
