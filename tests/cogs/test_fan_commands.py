"""/driver, /quote, /closest and /about end to end (simcord)."""

from __future__ import annotations

from pathlib import Path

from cogs.meta import package_version
from tests.cogs.fan_data import load_field_of_43
from tests.cogs.test_result_buttons import embed_text
from tests.conftest import World


async def test_driver_by_nickname_shows_record_closest_finish_and_quote(world: World) -> None:
    result = await world.fan.slash(world.channel, "driver", name="Yung Money")

    embed = result.response.embeds[0]
    text = embed_text(embed)
    assert embed.title == "Kyle Larson"
    assert {f.name: f.value for f in embed.fields}["Wins"] == "1"
    assert "0.001 s" in text and "Chris Buescher" in text
    assert "Quote [seed-" in text
    assert "nascaR.data" in text


async def test_unknown_driver_suggests_close_names(world: World) -> None:
    result = await world.fan.slash(world.channel, "driver", name="Kyle Larsen Jr Jr")

    assert result.ephemeral
    assert "I don't know a driver called" in result.response.content
    assert "Did you mean" in result.response.content and "Kyle Larson" in result.response.content


async def test_driver_autocomplete_finds_aliases(world: World) -> None:
    choices = await world.fan.autocomplete(world.channel, "driver", "name", "yung")

    assert choices[0]["name"] == "Kyle Larson"


async def test_random_quote_is_sourced(world: World) -> None:
    result = await world.fan.slash(world.channel, "quote")

    embed = result.response.embeds[0]
    assert embed.author.name.split(" [")[0] in {"Kyle Larson", "Chris Buescher"}
    assert "seed-" in embed_text(embed)


async def test_quote_search_by_driver_and_words(world: World) -> None:
    result = await world.fan.slash(world.channel, "quote", driver="Buescher", search="replay")

    embed = result.response.embeds[0]
    assert embed.author.name == "Chris Buescher [seed-000]"
    assert "haven’t seen a replay" in embed.description
    assert {f.name: f.value for f in embed.fields}["Said to"] == "Fox Sports"


async def test_quote_by_race_from_autocomplete(world: World) -> None:
    choices = await world.fan.autocomplete(world.channel, "quote", "race", "advent")

    result = await world.fan.slash(world.channel, "quote", race=choices[0]["value"])

    assert "2024 AdventHealth 400" in embed_text(result.response.embeds[0])


async def test_empty_search_is_answered_politely(world: World) -> None:
    result = await world.fan.slash(world.channel, "quote", search="?!…")

    assert result.ephemeral
    assert "at least one word" in result.response.content


async def test_no_matching_quote_is_answered_politely(world: World) -> None:
    result = await world.fan.slash(world.channel, "quote", search="zeppelin")

    assert result.ephemeral
    assert "No stored quote matches" in result.response.content


async def test_quote_with_everyone_is_posted_without_pinging(world: World, tmp_path: Path) -> None:
    await load_field_of_43(world.bot, tmp_path)

    result = await world.fan.slash(world.channel, "quote", search="everyone")

    stored = world.env.backend.get_message(world.channel.id, result.response.id)
    assert "@everyone" in result.response.embeds[0].description
    assert not stored.mention_everyone and not stored.mention_role_ids
    assert stored.allowed_mentions.everyone is False
    assert stored.allowed_mentions.roles == frozenset() and stored.allowed_mentions.users == frozenset()


async def test_closest_shows_ranks_and_ties_as_the_sources_give_them(world: World) -> None:
    result = await world.fan.slash(world.channel, "closest", count=3)

    text = result.response.embeds[0].description
    assert "`  1` **0.001 s** — **Kyle Larson** over Chris Buescher" in text
    assert text.count("` T2`") == 2


async def test_closest_by_track_alias_and_driver(world: World) -> None:
    at_dega = await world.fan.slash(world.channel, "closest", track="dega")
    blaney = await world.fan.slash(world.channel, "closest", driver="Blaney", track="Talladega")

    assert "at Talladega Superspeedway" in at_dega.response.embeds[0].title
    assert at_dega.response.embeds[0].description.count("Talladega Superspeedway") == 5
    assert blaney.response.embeds[0].description.count("Ryan Blaney") == 2


async def test_closest_with_nothing_matching_is_polite(world: World) -> None:
    result = await world.fan.slash(world.channel, "closest", track="Kansas", driver="Denny Hamlin")

    assert result.ephemeral
    assert "No closest finishes at Kansas Speedway involving Denny Hamlin" in result.response.content


async def test_unranked_finishes_are_not_given_a_rank(world: World) -> None:
    result = await world.fan.slash(world.channel, "closest", count=25)

    text = result.response.embeds[0].description
    assert text.count("`  –`") == 4
    assert "ranking stops" in result.response.embeds[0].footer.text


async def test_about_shows_version_counts_and_sources(world: World) -> None:
    result = await world.fan.slash(world.channel, "about")

    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["Version"] == package_version() != ""
    assert fields["Races"].endswith("(1 with full results)")
    assert fields["Results"] == "38" and fields["Quotes"] == "7"
    assert "Data last loaded" in fields["Freshness"]
    assert any(name.startswith("Sources (") for name in fields)
