"""Spoiler-safe result embeds: the race stays visible, how it ended is behind spoiler tags."""

from __future__ import annotations

import re

import discord

from bot.embeds.results import result_embed, stages_embed
from bot.embeds.spoilers import REVEAL_HINT, result_header, spoiler, spoiler_safe, spoiler_text
from db.repos.races import RaceStore
from db.storage.sqlite import SqliteDatabase
from tests.bot.embeds.limits import assert_within_limits

SPOILER = re.compile(r"\|\|.*?\|\|", re.DOTALL)


def outside_tags(text: str) -> str:
    return SPOILER.sub("", text)


async def kansas(db: SqliteDatabase):  # type: ignore[no-untyped-def]
    row = await db.fetch_one("SELECT id FROM races WHERE season = 2024 AND name = 'AdventHealth 400'")
    assert row is not None
    result = await RaceStore(db).race_result(race_id=row[0])
    assert result is not None
    return result


async def test_winner_runner_up_field_and_margin_are_hidden_the_race_is_not(db: SqliteDatabase) -> None:
    result = await kansas(db)
    original = result_embed(result)

    safe = spoiler_safe(original, header=result_header(result.race))

    assert_within_limits(safe)
    assert safe.title == original.title == "2024 AdventHealth 400"
    visible = outside_tags(safe.description or "") + "".join(outside_tags(f.value or "") for f in safe.fields)
    for spoiled in ("Kyle Larson", "Chris Buescher", "0.001", "Stage"):
        assert spoiled not in visible
    assert "Kyle Larson" in (safe.description or "")  # still there, behind the tag
    assert "**Kansas Speedway**" in visible and "race 12 of the 2024 season" in visible and REVEAL_HINT in visible
    assert [f.name for f in safe.fields] == [f.name for f in original.fields]
    assert all((f.value or "").startswith("||") and (f.value or "").endswith("||") for f in safe.fields)
    assert safe.footer.text == original.footer.text


async def test_the_stages_page_hides_its_stage_winners_too(db: SqliteDatabase) -> None:
    result = await kansas(db)

    safe = spoiler_safe(stages_embed(result), header=result_header(result.race))

    assert_within_limits(safe)
    assert all("**" not in outside_tags(f.value or "") for f in safe.fields)


def test_images_are_dropped_since_a_picture_cannot_be_tagged() -> None:
    embed = discord.Embed(title="t", description="Larson won")
    embed.set_image(url="attachment://margins.png")
    embed.set_thumbnail(url="https://example.test/x.png")

    safe = spoiler_safe(embed, header="Kansas")

    assert safe.image.url is None and safe.thumbnail.url is None


def test_code_blocks_and_pipes_cannot_leak_out_of_the_tag() -> None:
    assert spoiler("```\n1 Larson\n```", 100) == "||1 Larson||"
    assert spoiler("a || b", 100) == "||a |\u200b| b||"
    assert outside_tags(spoiler("a || b", 100)) == ""


def test_a_full_embed_stays_within_discords_limits_with_the_tags() -> None:
    embed = discord.Embed(title="T" * 256, description="d" * 4096)
    for i in range(25):
        embed.add_field(name=f"f{i}", value="v" * 1024)
    embed.set_footer(text="f" * 100)
    while len(embed) > 6000:  # a builder's embed is within the limits to begin with
        embed.remove_field(len(embed.fields) - 1)

    safe = spoiler_safe(embed, header="**Kansas Speedway** · May 5, 2024 · race 12 of the 2024 season")

    assert_within_limits(safe)
    assert outside_tags(safe.description or "").startswith("**Kansas Speedway**")


def test_message_content_goes_behind_one_tag_within_2000() -> None:
    text = spoiler_text("🏁 Kyle Larson wins " + "x" * 3000)

    assert len(text) <= 2000 and text.startswith("||🏁 Kyle Larson") and text.endswith("||")
