"""Spoiler-safe /result end to end (simcord): every page of a result hides how the race ended, names the race.

"Visible" is what a reader sees before tapping a spoiler: titles, field names, footers, and description
and field values outside ||…|| tags. Kansas 2024: Larson over Buescher by 0.001 s, 38 cars, quotes.
"""

from __future__ import annotations

import re

import discord

from bot.bot import PhotoFinish
from bot.embeds.spoilers import REVEAL_HINT
from db.models import RaceResult
from tests.bot.embeds.limits import assert_within_limits
from tests.conftest import World

SPOILER = re.compile(r"\|\|.*?\|\|", re.DOTALL)
KANSAS_TITLE = "2024 AdventHealth 400"


def visible(embed: discord.Embed) -> str:
    parts = [embed.title or "", SPOILER.sub("", embed.description or ""), embed.footer.text or ""]
    parts += [f"{f.name}\n{SPOILER.sub('', f.value or '')}" for f in embed.fields]
    return "\n".join(parts)


async def kansas(world: World) -> RaceResult:
    races = await world.bot.store.races.races_at_track(
        track_id=(await world.bot.store.tracks.find_track(query="kansas")).id,  # type: ignore[union-attr]
        series="cup",
        season=2024,
    )
    race = next(r for r in races if r.name == "AdventHealth 400")
    result = await world.bot.store.races.race_result(race_id=race.id)
    assert result is not None
    return result


def assert_nobody_named(embed: discord.Embed, result: RaceResult, *, page_names: set[str] | None = None) -> None:
    """No driver of the field, and not the margin, is readable before the reveal."""
    shown = visible(embed)
    names = page_names if page_names is not None else {row.driver for row in result.results}
    assert [name for name in names if name in shown] == []
    assert "0.001" not in shown
    assert_within_limits(embed)


async def test_spoilers_on_hides_winner_field_and_margin_but_names_the_race(world: World) -> None:
    result = await kansas(world)

    posted = await world.fan.slash(world.channel, "result", track="kansas", spoilers=True)

    embed = posted.response.embeds[0]
    assert_nobody_named(embed, result)
    assert embed.title == KANSAS_TITLE
    assert "**Kansas Speedway**" in visible(embed) and REVEAL_HINT in visible(embed)
    assert "Kyle Larson" in (embed.description or "")  # behind the tag, one tap away
    assert not posted.ephemeral


async def test_the_servers_setting_is_the_default_and_the_option_overrides_it(world: World) -> None:
    await world.admin.slash(world.channel, "spoilers settings", hide_results=True)

    by_default = await world.fan.slash(world.channel, "result", track="kansas")
    shown_anyway = await world.fan.slash(world.channel, "result", track="kansas", spoilers=False)

    assert "Kyle Larson" not in visible(by_default.response.embeds[0])
    assert "Kyle Larson" in visible(shown_anyway.response.embeds[0])


async def test_a_server_that_never_chose_shows_results(world: World) -> None:
    posted = await world.fan.slash(world.channel, "result", track="kansas")

    assert "**Kyle Larson**" in visible(posted.response.embeds[0])


async def test_every_full_field_page_stays_hidden(world: World) -> None:
    result = await kansas(world)
    posted = await world.fan.slash(world.channel, "result", track="kansas", spoilers=True)

    first = await world.fan.click(posted.response, label="Full field (38)")
    pages = [first.response.embeds[0]]
    for _ in range(2):  # the pager edits its message in place: read each page as it is shown
        third = await world.fan.click(first.response, label="Next ▶")
        pages.append(third.response.embeds[0])

    assert ["page 1/3" in pages[0].footer.text, "page 3/3" in pages[2].footer.text] == [True, True]
    for page in pages:
        assert_nobody_named(page, result)
        assert page.title == f"{KANSAS_TITLE} — full field"
    assert "Jimmie Johnson" in (pages[2].description or "")  # the 38th car, behind the tag
    buttons = [c["custom_id"] for row in third.response.components for c in row["components"]]
    assert buttons and all(b.endswith(":s") for b in buttons)


async def test_stages_and_quotes_stay_hidden(world: World) -> None:
    result = await kansas(world)
    posted = await world.fan.slash(world.channel, "result", track="kansas", spoilers=True)

    stages = await world.fan.click(posted.response, label="Stages")
    quotes = await world.fan.click(posted.response, label="Quotes (7)")

    assert_nobody_named(stages.response.embeds[0], result)
    quote_page = quotes.response.embeds[0]
    assert_nobody_named(quote_page, result)
    assert [f.name.split(" [")[0] for f in quote_page.fields][:2] == ["Quote 1", "Quote 2"]
    assert "Kyle Larson" in "".join(f.value or "" for f in quote_page.fields)  # who said it: behind the tag
    assert quote_page.title == f"Quotes — {KANSAS_TITLE}"


async def test_a_race_with_only_its_winner_stored_hides_the_winner(world: World) -> None:
    choices = await world.fan.autocomplete(world.channel, "result", "race", "hollywood", track="kansas", season=2024)

    posted = await world.fan.slash(
        world.channel, "result", track="kansas", season=2024, race=choices[0]["value"], spoilers=True
    )

    embed = posted.response.embeds[0]
    assert "Ross Chastain" not in visible(embed) and "Ross Chastain" in (embed.description or "")
    assert embed.title == "2024 Hollywood Casino 400"
    assert "Full results are not stored" not in visible(embed)  # the whole description is behind the tag


async def test_hidden_buttons_stay_hidden_after_a_restart(world: World) -> None:
    result = await kansas(world)
    posted = await world.fan.slash(world.channel, "result", track="kansas", spoilers=True)
    fresh = PhotoFinish(settings=world.bot.settings, store=world.bot.store, clock=world.clock, sync_policy="never")

    await world.env.restart_bot(fresh)
    opened = await world.fan.click(posted.response, label="Full field (38)")

    assert_nobody_named(opened.response.embeds[0], result)


async def test_buttons_of_a_shown_result_show_their_pages(world: World) -> None:
    posted = await world.fan.slash(world.channel, "result", track="kansas", spoilers=False)

    stages = await world.fan.click(posted.response, label="Stages")

    assert "Denny Hamlin" in visible(stages.response.embeds[0])
