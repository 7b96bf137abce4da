"""/result end to end through the real command tree (simcord)."""

from __future__ import annotations

from tests.conftest import World


def embed_text(embed) -> str:  # type: ignore[no-untyped-def]
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


async def test_result_kansas_shows_larson_buescher_and_the_margin(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="kansas")

    assert not result.ephemeral
    embed = result.response.embeds[0]
    text = embed_text(embed)
    assert embed.title == "2024 AdventHealth 400"
    assert "Kyle Larson" in text and "Chris Buescher" in text
    assert "0.001 s" in text
    assert "Denny Hamlin" in text  # stage 1 winner
    assert "7 for 43 laps" in text
    assert "Christopher Bell" in text  # pole
    assert "Official" in embed.footer.text


async def test_result_by_alias_and_season(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="KC", season=2024)

    assert result.response.embeds[0].title == "2024 AdventHealth 400"


async def test_unknown_track_gets_a_helpful_ephemeral_reply(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="Kansass Speedwy")

    # A close misspelling still finds Kansas.
    assert result.response.embeds[0].title == "2024 AdventHealth 400"

    result = await world.fan.slash(world.channel, "result", track="zzqx")
    assert result.ephemeral
    assert "don't know a track" in result.response.content


async def test_track_without_results_says_so_ephemerally(world: World) -> None:
    result = await world.fan.slash(world.channel, "result", track="darlington", season=2026)

    assert result.ephemeral
    assert "No results stored for Darlington Raceway in 2026" in result.response.content


async def test_track_autocomplete_matches_names_and_aliases(world: World) -> None:
    choices = await world.fan.autocomplete(world.channel, "result", "track", "dega")
    assert choices[0]["name"] == "Talladega Superspeedway"

    choices = await world.fan.autocomplete(world.channel, "result", "track", "kan")
    assert choices[0]["name"] == "Kansas Speedway"
    assert len(choices) <= 25
