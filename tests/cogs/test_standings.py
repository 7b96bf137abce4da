"""/standings end to end through simcord: stored official points, the pager, the chart, and "not stored"."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from db.importers.feed.points_sync import sync_points
from db.importers.feed.sync import FeedSync
from tests.bot.charts.png import assert_chart_png
from tests.conftest import World
from tests.db.fake_feed import BASE, FakeFeed, synthetic_feed
from tests.db.points_fixtures import POINTS, final_url, sync_final


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2030, 6, 20, 12, 0, tzinfo=dt.UTC)


async def seed(world: World, *fixtures: str) -> None:
    db = world.bot.store.db
    await FeedSync(db, synthetic_feed(), base_url=BASE, clock=world.bot.clock).sync_schedule(2030)
    for fixture in fixtures:
        await sync_final(db, fixture)


async def test_no_standings_stored_says_so_and_never_recomputes(world: World) -> None:
    result = await world.fan.slash(world.channel, "standings")

    assert result.ephemeral
    assert "no official NASCAR Cup Series standings stored yet" in result.response.content
    assert "never work them out from results" in result.response.content


async def test_standings_after_the_latest_race_with_the_cutoff_and_the_race(world: World) -> None:
    await seed(world, "final_2030_cup_after2.json")

    result = await world.fan.slash(world.channel, "standings")

    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "2030 NASCAR Cup Series standings"
    assert "after race 2: Synthetic 400 (Synthetic Test Oval" in embed.description
    assert "**Alex Apex** #1 · 90 pts · leader" in embed.description
    assert "── cutoff: the top 16 make The Chase ──" in embed.description
    assert not result.response.attachments  # one stored race: no progression to draw


async def test_a_missing_race_lists_the_stored_ones(world: World) -> None:
    await seed(world, "final_2030_cup_after1.json", "final_2030_cup_after2.json")

    result = await world.fan.slash(world.channel, "standings", season=2030, after=5)

    assert result.ephemeral
    assert result.response.content == (
        "I have no 2030 NASCAR Cup Series standings after race 5; I have them after races 1, 2."
    )


async def test_standings_after_an_earlier_race(world: World) -> None:
    await seed(world, "final_2030_cup_after1.json", "final_2030_cup_after2.json")

    result = await world.fan.slash(world.channel, "standings", after=1)

    assert "after race 1: Synthetic 500" in result.response.embeds[0].description
    assert "**Alex Apex** #1 · 55 pts" in result.response.embeds[0].description


async def test_the_season_chart_is_attached_as_a_png_in_the_embed(world: World) -> None:
    await seed(world, "final_2030_cup_after1.json", "final_2030_cup_after2.json")

    result = await world.fan.slash(world.channel, "standings")

    message = world.channel.last_message
    assert message.id == result.response.id
    assert [a.filename for a in message.attachments] == ["standings-cup-2030-2.png"]
    assert message.embeds[0].image.url.endswith("standings-cup-2030-2.png")
    assert_chart_png(await message.attachments[0].read())


async def test_the_pager_turns_pages_after_a_restart(world: World) -> None:
    await seed(world)
    body = json.loads((POINTS / "final_2030_cup_after2.json").read_text(encoding="utf-8"))
    field = [
        {**row, "driver_id": row["driver_id"] + 100 * copy, "position": row["position"] + 18 * copy}
        for copy in range(3)
        for row in body
    ]  # 54 drivers: three pages
    feed = FakeFeed({final_url(): field})
    await sync_points(world.bot.store.db, feed, base_url=BASE, series="cup", season=2030, clock=world.bot.clock)
    posted = await world.fan.slash(world.channel, "standings")
    assert "page 1/3" in posted.response.embeds[0].footer.text

    await world.env.restart_bot()
    clicked = await world.fan.click(posted.response, label="Next")

    assert clicked.acknowledged and not clicked.ephemeral
    footer = world.channel.last_message.embeds[0].footer.text
    assert "Drivers 21–40 of 54 · page 2/3" in footer


async def test_after_autocomplete_names_the_stored_races(world: World) -> None:
    await seed(world, "final_2030_cup_after1.json", "final_2030_cup_after2.json")

    choices = await world.fan.autocomplete(world.channel, "standings", "after", "", season=2030)

    assert [(c["name"], c["value"]) for c in choices] == [
        ("After race 2 · Synthetic 400", 2),
        ("After race 1 · Synthetic 500", 1),
    ]
