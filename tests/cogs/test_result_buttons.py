"""/result's season/race choice and its buttons, including after a restart (simcord)."""

from __future__ import annotations

from pathlib import Path

from bot.bot import PhotoFinish
from tests.cogs.fan_data import load_field_of_43
from tests.conftest import World


def embed_text(embed) -> str:  # type: ignore[no-untyped-def]
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


async def test_kansas_2024_defaults_to_spring_and_names_the_fall_race(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="kansas", season=2024)

    assert result.response.embeds[0].title == "2024 AdventHealth 400"
    assert "Hollywood Casino 400" in result.response.content


async def test_race_autocomplete_offers_both_kansas_races(world: World) -> None:
    choices = await world.fan.autocomplete(world.channel, "result", "race", "", track="kansas", season=2024)

    names = [c["name"] for c in choices]
    assert names[0].startswith("2024 · Hollywood Casino 400 · Sep 29")
    assert "2024 · AdventHealth 400 · May 5" in names
    assert len(names) == 2


async def test_choosing_the_fall_race_shows_what_is_known(world: World) -> None:
    choices = await world.fan.autocomplete(world.channel, "result", "race", "hollywood", track="kansas", season=2024)

    result = await world.fan.slash(world.channel, "result", track="kansas", season=2024, race=choices[0]["value"])

    assert not result.ephemeral
    text = embed_text(result.response.embeds[0])
    assert "Ross Chastain** [nascaR.data]" in text
    assert "Full results are not stored" in text
    assert "AdventHealth 400" in result.response.content


async def test_a_season_without_races_is_answered_politely(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="kansas", season=1950)

    assert result.ephemeral
    assert "No cup races stored for Kansas Speedway in 1950" in result.response.content


async def test_a_race_that_is_not_at_the_track_is_refused(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="kansas", race="daytona 500")

    assert result.ephemeral
    assert "pick one from the list" in result.response.content


async def test_full_field_pages_through_a_43_car_field(world: World, tmp_path: Path) -> None:
    await load_field_of_43(world.bot, tmp_path)
    posted = await world.fan.slash(world.channel, "result", track="daytona")
    assert posted.response.embeds[0].title == "1999 Forty-Three Car 500"

    opened = await world.fan.click(posted.response, label="Full field (43)")
    assert opened.ephemeral
    assert "page 1/3" in opened.response.embeds[0].footer.text
    page2 = await world.fan.click(opened.response, label="Next ▶")
    page3 = await world.fan.click(page2.response, label="Next ▶")

    last = page3.response.embeds[0]
    assert "Cars 31–43 of 43 · page 3/3" in last.footer.text
    assert "Field Driver 43" in last.description
    assert page3.response.id == opened.response.id  # edited in place


async def test_stages_and_quotes_buttons(world: World) -> None:
    posted = await world.fan.slash(world.channel, "result", track="kansas")

    stages = await world.fan.click(posted.response, label="Stages")
    quotes = await world.fan.click(posted.response, label="Quotes (7)")

    assert stages.ephemeral and "Denny Hamlin" in embed_text(stages.response.embeds[0])
    assert quotes.ephemeral
    assert "7 of 7 quotes" in quotes.response.embeds[0].footer.text


async def test_race_quote_with_everyone_does_not_ping(world: World, tmp_path: Path) -> None:
    await load_field_of_43(world.bot, tmp_path)
    posted = await world.fan.slash(world.channel, "result", track="daytona")

    quotes = await world.fan.click(posted.response, label="Quotes (1)")

    stored = world.env.backend.get_message(world.channel.id, quotes.response.id)
    assert "@everyone" in embed_text(quotes.response.embeds[0])
    assert not stored.mention_everyone and not stored.mention_role_ids
    assert stored.allowed_mentions.everyone is False and stored.allowed_mentions.roles == frozenset()


async def test_buttons_still_answer_after_a_restart(world: World) -> None:
    posted = await world.fan.slash(world.channel, "result", track="kansas")
    fresh = PhotoFinish(settings=world.bot.settings, store=world.bot.store, clock=world.clock, sync_policy="never")

    await world.env.restart_bot(fresh)
    opened = await world.fan.click(posted.response, label="Full field (38)")

    assert opened.ephemeral
    assert "page 1/3" in opened.response.embeds[0].footer.text


async def test_a_button_for_a_race_no_longer_stored_answers_politely(world: World) -> None:
    posted = await world.fan.slash(world.channel, "result", track="kansas")
    race_id = posted.response.components[0]["components"][0]["custom_id"].split(":")[2]
    # A data write (as a reload that drops the race would be): it moves the data version, caches follow.
    db = world.bot.store.db
    async with db.data_transaction():
        await db.execute("DELETE FROM quotes WHERE race_id = ?", (int(race_id),))
        await db.execute("DELETE FROM races WHERE id = ?", (int(race_id),))

    await world.env.restart_bot()
    clicked = await world.fan.click(posted.response, label="Stages")

    assert clicked.ephemeral
    assert "no longer in my data" in clicked.response.content
