"""Every builder, fed a driver the history table knows almost nothing about: no default 0, no blank, no "None".

Marvin Panch's one start (tests/fixtures/history/fan_questions.csv, 1965 race 2) has a finishing position
and nothing else: no start position (for anyone in that race), no car number, no laps, laps led of 0 for
every car (unrecorded), status "-". What the cards may say about him is what the table knows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest

from bot.embeds.drivers import driver_embed
from bot.embeds.field import field_page_embed, page_count
from bot.embeds.results import race_facts_embed, result_embed, stages_embed
from bot.embeds.schedule import schedule_page_embed
from db.importers.history import import_history, read_history_bytes
from db.models import RaceResult
from db.storage.sqlite import SqliteDatabase
from db.store import Store

FAN_QUESTIONS = Path(__file__).resolve().parents[2] / "fixtures" / "history" / "fan_questions.csv"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# Figures the table always records (they come from the finishing position): a 0 there is a real 0.
FROM_FINISHES = {"Wins", "Top 5", "Top 10"}
BLANKS = [
    (re.compile(r"\bNone\b|\bnan\b|\bnull\b"), "a missing value printed as text"),
    (re.compile(r"#(?=[\s*)·,]|$)"), "a car number sign without a number"),
    (re.compile(r"\bled 0\b|\(started \)|started None"), "an unknown figure shown as 0 or empty"),
    (re.compile(r"(^|\s)-(\s|$)"), "the table's '-' shown as if it were a value"),
]


def parts(embed: discord.Embed) -> Iterator[tuple[str, str]]:
    yield "title", embed.title or ""
    yield "description", embed.description or ""
    for field in embed.fields:
        yield f"field {field.name!r}", f"{field.name}\n{field.value}"
    yield "footer", embed.footer.text or ""


def assert_no_false_figures(embed: discord.Embed) -> None:
    for field in embed.fields:
        assert (field.value or "").strip(), f"field {field.name!r} is blank"
        name = (field.name or "").split(" [")[0]
        if name not in FROM_FINISHES:
            assert (field.value or "").strip() != "0", f"field {field.name!r} shows a default 0"
    for where, text in parts(embed):
        for pattern, what in BLANKS:
            found = pattern.search(text)
            assert found is None, f"{where}: {what}: {text!r}"


@pytest.fixture
async def store(db: SqliteDatabase) -> Store:
    races, digest = read_history_bytes(FAN_QUESTIONS.read_bytes(), source=FAN_QUESTIONS.name)
    await import_history(db, races, now=NOW, digest=digest)
    return Store(db)


async def panch_race(store: Store) -> RaceResult:
    track = await store.tracks.find_track(query="rockingham")
    assert track is not None
    (race,) = await store.races.races_at_track(track_id=track.id, series="cup", season=1965)
    result = await store.races.race_result(race_id=race.id)
    assert result is not None and any(r.driver == "Marvin Panch" for r in result.results)
    return result


async def test_the_driver_card_says_not_recorded_instead_of_zero(store: Store) -> None:
    driver = await store.drivers.find_driver(query="Marvin Panch")
    assert driver is not None
    career = await store.careers.driver_career(driver=driver)

    embed = driver_embed(career, [], None)

    assert_no_false_figures(embed)
    shown = {f.name.split(" [")[0]: f.value for f in embed.fields}
    assert shown["Poles"].startswith("not recorded") and shown["Laps led"] == "not recorded"


async def test_the_race_card_and_its_pages_carry_no_false_figures(store: Store) -> None:
    result = await panch_race(store)

    embeds = [
        result_embed(result),
        stages_embed(result),
        *(field_page_embed(result, page) for page in range(page_count(result))),
    ]

    for embed in embeds:
        assert_no_false_figures(embed)
    assert "**Marvin Panch** · status not recorded" in "\n".join(e.description or "" for e in embeds[2:])


async def test_the_schedule_and_race_facts_of_a_history_season_carry_no_false_figures(store: Store) -> None:
    result = await panch_race(store)
    view = await store.schedule.season_schedule(series="cup", season=1965, now=NOW)
    facts = await store.race_facts.race_facts(race_id=result.race.id)
    assert facts is not None

    for embed in (schedule_page_embed(view, 1965, 0, NOW), race_facts_embed(facts)):
        assert_no_false_figures(embed)
    assert "January" not in (schedule_page_embed(view, 1965, 0, NOW).description or "")
