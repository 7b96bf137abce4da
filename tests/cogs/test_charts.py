"""Charts in /driver and /closest end to end (simcord): a PNG attached to the answer and shown in its embed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import discord

from db.importers.history import import_history, read_history_bytes
from tests.bot.charts.png import assert_chart_png
from tests.conftest import World

FAN_QUESTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "fan_questions.csv"


async def import_fan_questions(world: World) -> None:
    races, digest = read_history_bytes(FAN_QUESTIONS.read_bytes(), source=FAN_QUESTIONS.name)
    await import_history(world.bot.store.db, races, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), digest=digest)
    world.bot.store.data_changed()


async def test_driver_with_two_seasons_gets_wins_and_top_10s_per_season(world: World) -> None:
    await import_fan_questions(world)  # Richard Petty: 1965 (two races) and 1966

    result = await world.fan.slash(world.channel, "driver", name="Richard Petty")

    message = world.channel.last_message
    assert message.id == result.response.id
    [attachment] = message.attachments
    assert attachment.filename.startswith("driver-") and attachment.filename.endswith("-cup.png")
    assert message.embeds[0].image.url == f"attachment://{attachment.filename}"
    assert message.embeds[0].title == "Richard Petty"
    assert_chart_png(await attachment.read())


async def test_driver_with_one_season_stored_gets_no_chart(world: World) -> None:
    result = await world.fan.slash(world.channel, "driver", name="Kyle Larson")  # only Kansas 2024 in full

    assert result.response.embeds[0].title == "Kyle Larson"
    assert not world.channel.last_message.attachments
    assert result.response.embeds[0].image.url is None


async def test_closest_attaches_the_margins_chart(world: World) -> None:
    result = await world.fan.slash(world.channel, "closest", count=5)

    message = world.channel.last_message
    assert message.id == result.response.id
    assert [a.filename for a in message.attachments] == ["closest-finishes.png"]
    assert message.embeds[0].image.url == "attachment://closest-finishes.png"
    assert "0.001 s" in (message.embeds[0].description or "")  # the list is still all there
    assert_chart_png(await message.attachments[0].read())


async def test_the_same_chart_again_is_sent_with_the_first_response(world: World) -> None:
    def edits_since(start: int) -> int:
        return sum(1 for r in world.env.http_requests[start:] if r.method == "PATCH")

    start = len(world.env.http_requests)
    await world.fan.slash(world.channel, "closest", count=5)
    first = edits_since(start)
    start = len(world.env.http_requests)

    again = await world.fan.slash(world.channel, "closest", count=5)

    assert [a.filename for a in again.response.attachments] == ["closest-finishes.png"]
    assert (first, edits_since(start)) == (1, 0)  # drawn and attached by an edit, then from the cache at once


async def test_a_single_finish_gets_no_chart(world: World) -> None:
    result = await world.fan.slash(world.channel, "closest", track="Kansas")

    assert len((result.response.embeds[0].description or "").splitlines()) == 3  # intro, blank, one finish
    assert not world.channel.last_message.attachments


async def test_without_the_charts_extension_answers_go_out_without_charts(world: World) -> None:
    await world.bot.unload_extension("cogs.charts")

    result = await world.fan.slash(world.channel, "closest", count=5)

    assert not result.ephemeral and result.response.embeds[0].image.url is None
    assert not world.channel.last_message.attachments


async def test_where_the_bot_may_not_attach_files_the_answer_comes_without_a_chart(world: World) -> None:
    no_files = world.guild.create_text_channel(
        "no-files", overwrites={world.bot.user: discord.PermissionOverwrite(attach_files=False)}
    )
    start = len(world.env.http_requests)

    result = await world.fan.slash(no_files, "closest", count=5)

    assert not result.ephemeral and "0.001 s" in (result.response.embeds[0].description or "")
    assert result.response.embeds[0].image.url is None and not result.response.attachments
    assert not [r for r in world.env.http_requests[start:] if r.method == "PATCH"]
