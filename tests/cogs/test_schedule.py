"""/next and /schedule end to end, with the clock set by the `now` fixture."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from db.importers.summaries import REFRESH_STEPS
from tests.conftest import World


def without_cup_2025(db_path: Path) -> Path:
    """The test's copy of the store without the bundled 2025 Cup season (a season missing from the data)."""
    raw = sqlite3.connect(db_path)
    try:
        with raw:  # commits
            raw.execute("DELETE FROM races WHERE series = 'cup' AND season = 2025")
            # As every data write does, in the same transaction: the per-season summaries follow.
            raw.execute("INSERT INTO summary_seasons (series, season) VALUES ('cup', 2025)")
            for step in REFRESH_STEPS:
                raw.execute(step)
    finally:
        raw.close()
    return db_path


def text_of(embed) -> str:  # type: ignore[no-untyped-def]
    return "\\n".join(
        [embed.title or "", embed.description or "", embed.footer.text or ""]
        + [f"{f.name}\\n{f.value}" for f in embed.fields]
    )


async def test_next_on_may_6_2024_is_the_goodyear_400_at_darlington(world: World) -> None:
    result = await world.fan.slash(world.channel, "next")

    embed = result.response.embeds[0]
    text = text_of(embed)
    assert not result.ephemeral
    assert "Goodyear 400" in embed.title
    assert "Darlington Raceway" in text
    start = int(dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC).timestamp())
    assert f"<t:{start}:F>" in text and f"<t:{start}:R>" in text
    assert "3:00 PM EDT at the track" in text  # 19:00Z in May is EDT, not EST
    assert "FS1" in text
    assert "Source: VMN" in text and "data updated" in text


async def test_next_for_a_series_without_data_says_there_is_no_schedule(world: World) -> None:
    result = await world.fan.slash(world.channel, "next", series="truck")

    assert "no NASCAR Craftsman Truck Series schedule yet" in result.response.embeds[0].description


async def test_schedule_opens_on_the_page_of_the_next_race_and_pages(world: World) -> None:
    result = await world.fan.slash(world.channel, "schedule", season=2024)

    embed = result.response.embeds[0]
    assert embed.title == "2024 NASCAR Cup Series schedule"
    assert "Goodyear 400" in embed.description and "Page 2/4" in embed.footer.text
    clicked = await world.fan.click(result.response, label="Next")
    assert clicked.acknowledged
    assert "Page 3/4" in world.channel.last_message.embeds[0].footer.text


async def test_schedule_for_a_season_we_do_not_have_is_a_helpful_ephemeral(world: World) -> None:
    result = await world.fan.slash(world.channel, "schedule", season=1990)

    assert result.ephemeral
    assert "no 1990" in result.response.content and "latest season I have is 2026" in result.response.content


class TestGapInTheData:
    @pytest.fixture
    def now(self) -> dt.datetime:
        return dt.datetime(2024, 12, 1, 12, 0, tzinfo=dt.UTC)

    @pytest.fixture
    def db_path(self, db_path: Path) -> Path:
        # 2025 is bundled now: take it out again so the store has a season missing between two it holds.
        return without_cup_2025(db_path)

    async def test_next_across_a_missing_season_says_that_season_is_not_loaded(self, world: World) -> None:
        result = await world.fan.slash(world.channel, "next")

        embed = result.response.embeds[0]
        assert "2026" in embed.description and "no 2025 schedule" in embed.description


class TestOffSeason:
    @pytest.fixture
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)

    async def test_next_in_the_off_season_says_so_with_the_last_race(self, world: World) -> None:
        result = await world.fan.slash(world.channel, "next")

        embed = result.response.embeds[0]
        assert "off-season" in embed.description and "2026 season ended" in embed.description
        assert "Schedule data updated" in embed.footer.text


async def test_schedule_pager_still_turns_pages_after_a_restart(world: World) -> None:
    posted = await world.fan.slash(world.channel, "schedule", season=2024)

    await world.env.restart_bot()
    clicked = await world.fan.click(posted.response, label="Previous")

    assert clicked.acknowledged and not clicked.ephemeral
    assert "Page 1/4" in world.channel.last_message.embeds[0].footer.text


class TestMidSeason2025:
    @pytest.fixture
    def now(self) -> dt.datetime:
        return dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)

    async def test_june_is_not_the_off_season_the_2025_schedule_is_bundled(self, world: World) -> None:
        result = await world.fan.slash(world.channel, "next")

        embed = result.response.embeds[0]
        assert embed.title == "Next: Race 14: Cracker Barrel 400"  # June 1, start time not in our sources
        assert "off-season" not in text_of(embed)

    async def test_schedule_shows_winners_of_races_without_a_start_time(self, world: World) -> None:
        result = await world.fan.slash(world.channel, "schedule", season=2025)
        first = await world.fan.click(result.response, label="Previous")

        page = world.channel.last_message.embeds[0].description if first.acknowledged else ""
        assert "**Ambetter Health 400** · Atlanta Motor Speedway" in page
        assert "won by Christopher Bell" in page  # race 2 has a date but no sourced start time

    async def test_undated_races_sit_in_race_order_and_say_their_date_is_unknown(self, world: World) -> None:
        view = await world.bot.store.schedule.season_schedule(series="cup", season=2025, now=world.clock())

        numbers = [r.race_number for r in view.races if r.race_number]
        assert numbers == list(range(1, 37))
        richmond = next(r for r in view.races if r.race_number == 25)
        assert not richmond.date_known


class TestMissingSeason:
    @pytest.fixture
    def now(self) -> dt.datetime:
        return dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)

    @pytest.fixture
    def db_path(self, db_path: Path) -> Path:
        return without_cup_2025(db_path)

    async def test_a_missing_season_is_said_as_missing_not_as_the_off_season(self, world: World) -> None:
        result = await world.fan.slash(world.channel, "schedule")

        text = text_of(result.response.embeds[0])
        assert "I have no 2025 NASCAR Cup Series schedule" in text
        assert "off-season" not in text
