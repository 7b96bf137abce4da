"""What a fan hit (issue #11), end to end through the real command tree on a hand-written history table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.importers.history import import_history, read_history_bytes
from tests.cogs.test_result_buttons import embed_text
from tests.conftest import World

FAN_QUESTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "fan_questions.csv"


@pytest.fixture
async def history(world: World) -> World:
    races, digest = read_history_bytes(FAN_QUESTIONS.read_bytes(), source=FAN_QUESTIONS.name)
    await import_history(world.bot.store.db, races, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), digest=digest)
    world.bot.store.data_changed()
    return world


def fields(embed) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.name.split(" [")[0]: f.value for f in embed.fields}


async def test_poles_count_starts_from_p1_and_say_where_the_start_is_unknown(history: World) -> None:
    result = await history.fan.slash(history.channel, "driver", name="Richard Petty")

    poles = fields(result.response.embeds[0])["Poles"]
    # 1965 R1 and 1966 R1 from P1; 1965 R2 records no start positions at all.
    assert poles.startswith("2 (started from pole) [nascaR.data]")
    assert "not recorded for 1 of 3 starts" in poles


async def test_a_driver_the_table_knows_little_about_gets_no_false_zero(history: World) -> None:
    result = await history.fan.slash(history.channel, "driver", name="Marvin Panch")

    shown = fields(result.response.embeds[0])
    assert shown["Poles"].startswith("not recorded")
    assert shown["Laps led"] == "not recorded"
    assert shown["Starts"] == "1"


async def test_the_driver_card_names_team_and_make_from_the_latest_result(history: World) -> None:
    result = await history.fan.slash(history.channel, "driver", name="Tony Stewart")

    team = fields(result.response.embeds[0])["Team"]
    assert team.startswith("Joe Gibbs Racing · Toyota") and "2025 race 16" in team


@pytest.mark.parametrize(("nickname", "driver"), [("Smoke", "Tony Stewart"), ("The King", "Richard Petty")])
async def test_nicknames_answer_for_the_driver_fans_mean(history: World, nickname: str, driver: str) -> None:
    result = await history.fan.slash(history.channel, "driver", name=nickname)

    assert result.response.embeds[0].title == driver


async def test_a_shared_surname_asks_which_driver(history: World) -> None:
    result = await history.fan.slash(history.channel, "driver", name="Petty")

    assert result.ephemeral
    assert "Did you mean Richard Petty, Lee Petty" in result.response.content


@pytest.mark.parametrize(("command", "option"), [("driver", "name"), ("result", "track")])
@pytest.mark.parametrize("typed", ["  ", "a", "x"])
async def test_blank_or_one_letter_gets_a_clear_message(history: World, command: str, option: str, typed: str) -> None:
    result = await history.fan.slash(history.channel, command, **{option: typed})

    assert result.ephemeral
    assert "at least 2 letters" in result.response.content


@pytest.mark.parametrize(
    ("typed", "track", "race"),
    [
        ("mexico city", "Autódromo Hermanos Rodríguez", "2025 Viva Mexico 250"),
        ("fontana", "Auto Club Speedway", "2000 Synthetic California 500"),
        ("California Speedway", "Auto Club Speedway", "2000 Synthetic California 500"),
        ("Lowe's Motor Speedway", "Charlotte Motor Speedway", "1965 Synthetic Charlotte 600"),
    ],
)
async def test_tracks_by_the_names_fans_use(history: World, typed: str, track: str, race: str) -> None:
    season = int(race[:4])
    result = await history.fan.slash(history.channel, "result", track=typed, season=season)

    embed = result.response.embeds[0]
    assert embed.title == race
    assert f"**{track}**" in (embed.description or "")


async def test_a_race_shows_the_track_as_it_was_named_then(history: World) -> None:
    california = await history.fan.slash(history.channel, "result", track="fontana", season=2000)
    echopark = await history.fan.slash(history.channel, "result", track="atlanta", season=2025, race="Quaker")

    assert "(then California Speedway [W-ACS])" in (california.response.embeds[0].description or "")
    assert "(then EchoPark Speedway)" in (echopark.response.embeds[0].description or "")


async def test_history_result_shows_pole_from_the_start_column_with_its_source(history: World) -> None:
    result = await history.fan.slash(history.channel, "result", track="atlanta", season=2025, race="Quaker")

    assert fields(result.response.embeds[0])["Pole"] == "**Kyle Larson** (started 1st)"
    assert "Pole [nascaR.data]" in embed_text(result.response.embeds[0])


async def test_unknown_pole_and_margin_are_said_as_not_recorded(history: World) -> None:
    result = await history.fan.slash(history.channel, "result", track="rockingham", season=1965)

    embed = result.response.embeds[0]
    assert fields(embed)["Pole"] == "not recorded (no start positions in the source)"
    assert "(margin not recorded)" in (embed.description or "")
    assert "led 0" not in embed_text(embed)


async def test_a_history_race_gets_its_margin_and_rank_from_the_closest_finishes_list(history: World) -> None:
    result = await history.fan.slash(history.channel, "result", track="darlington", season=2003, race="Carolina")

    description = result.response.embeds[0].description or ""
    assert "🏁 **Ricky Craven**" in description and "by **0.002 s** over Kurt Busch [W, NBC25]" in description
    assert "No. T2 among the closest finishes in NASCAR Cup Series history" in description
    other = await history.fan.slash(history.channel, "result", track="darlington", season=2003)
    assert "hosted 2 races in 2003" in (other.response.content or "")


async def test_autocomplete_uses_the_same_ranking(history: World) -> None:
    choices = await history.fan.autocomplete(history.channel, "driver", "name", "petty")

    assert [c["name"] for c in choices][:2] == ["Richard Petty", "Lee Petty"]


async def test_about_says_what_it_holds_per_series_and_season_and_when_it_synced(history: World) -> None:
    result = await history.fan.slash(history.channel, "about")

    shown = fields(result.response.embeds[0])
    cup = shown["NASCAR Cup Series"]
    assert cup.startswith("Results: 1965–1966, 2000, 2003, 2024–2025 (")
    assert "Schedule or winner only: 2024–2026" in cup and "History imported <t:" in cup
    assert "NASCAR feed never synced · FEED_SYNC off" in shown["Freshness"]
    assert "next race of the series has been run" in (result.response.embeds[0].footer.text or "")
