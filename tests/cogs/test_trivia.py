"""/trivia end to end through the real command tree (simcord), on the bundled data."""

from __future__ import annotations

from typing import Any, cast

import discord
from discord import app_commands

from bot.bot import PhotoFinish
from bot.trivia.session import TriviaSession
from cogs.trivia._cog import Trivia
from cogs.trivia._views import custom_id
from tests.conftest import World

TIME_LIMIT = 20  # the default setting
PAUSE = 5


def embed_text(embed: Any) -> str:
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def trivia_cog(world: World) -> Trivia:
    # Not isinstance: each bot loads the extension afresh, so the class object differs from this module's.
    cog = world.bot.get_cog("Trivia")
    assert cog is not None
    return cast(Trivia, cog)


def live_session(world: World) -> TriviaSession:
    game = trivia_cog(world).games.live_game(world.channel.id)
    assert game is not None
    return game.session


def right_and_wrong(session: TriviaSession) -> tuple[str, str]:
    """Custom ids of the right and of a wrong choice of the open question."""
    question = session.current
    assert question is not None
    right = question.answer
    return (
        custom_id(session.game_id, session.number, right),
        custom_id(session.game_id, session.number, (right + 1) % 4),
    )


def bot_posts(world: World) -> list[Any]:
    return [m for m in world.channel.history() if m.author.id == world.bot.user.id]  # type: ignore[union-attr]


async def play_one_question_game(world: World, actor: Any, *, right: bool) -> None:
    result = await actor.slash(world.channel, "trivia play", questions=1)
    session = live_session(world)
    good, bad = right_and_wrong(session)
    await actor.click(result.response, custom_id=good if right else bad)
    await world.env.advance_time(TIME_LIMIT)


async def test_full_game_with_two_users_scores_and_reveals_the_source(world: World) -> None:
    result = await world.fan.slash(world.channel, "trivia play", questions=2)

    assert not result.ephemeral
    assert "Question 1 of 2" in result.response.embeds[0].title
    assert len(result.response.components[0]["components"]) == 4
    session = live_session(world)
    good, bad = right_and_wrong(session)
    fan_click = await world.fan.click(result.response, custom_id=good)
    admin_click = await world.admin.click(result.response, custom_id=bad)
    assert fan_click.ephemeral and "Locked in" in fan_click.response.content
    assert admin_click.ephemeral and "Locked in" in admin_click.response.content

    await world.env.advance_time(TIME_LIMIT + PAUSE)
    reveal, second = bot_posts(world)[-2:]
    text = embed_text(reveal.embeds[0])
    assert reveal.embeds[0].title.startswith("Answer:")
    assert "Source" in text and session.questions[0].sources[0].key in text
    assert f"<@{world.fan.id}>" in text.split("Wrong")[0] and f"<@{world.admin.id}>" in text.split("Wrong")[1]
    assert "Question 2 of 2" in second.embeds[0].title

    good, _ = right_and_wrong(session)
    await world.fan.click(second, custom_id=good)
    await world.env.advance_time(TIME_LIMIT)
    final = bot_posts(world)[-1]
    assert "Final standings" in final.embeds[1].title
    standings = final.embeds[1].description
    assert standings.index(f"<@{world.fan.id}>") < standings.index(f"<@{world.admin.id}>")
    assert "2/2 right" in standings and "0/1 right" in standings


async def test_a_second_click_is_told_one_answer_per_question(world: World) -> None:
    result = await world.fan.slash(world.channel, "trivia play", questions=1)
    good, bad = right_and_wrong(live_session(world))

    await world.fan.click(result.response, custom_id=bad)
    again = await world.fan.click(result.response, custom_id=good)

    assert again.ephemeral
    assert "already answered" in again.response.content


async def test_a_click_after_the_deadline_is_refused(world: World) -> None:
    result = await world.fan.slash(world.channel, "trivia play", questions=2)
    good, _ = right_and_wrong(live_session(world))
    await world.env.advance_time(TIME_LIMIT + PAUSE)  # question 2 is open now

    late = await world.admin.click(result.response, custom_id=good)

    assert late.ephemeral
    assert "Too late" in late.response.content
    assert live_session(world).scores == {}


async def test_a_second_game_in_the_same_channel_is_refused(world: World) -> None:
    await world.fan.slash(world.channel, "trivia play", questions=2)

    second = await world.admin.slash(world.channel, "trivia play")

    assert second.ephemeral
    assert "already running" in second.response.content


async def test_stop_by_a_non_starter_is_refused_and_the_starter_may_stop(world: World) -> None:
    await world.fan.slash(world.channel, "trivia play", questions=3)
    outsider = world.guild.add_member(world.env.create_user("outsider"))

    refused = await outsider.slash(world.channel, "trivia stop")
    assert refused.ephemeral
    assert "Only the player who started" in refused.response.content

    stopped = await world.fan.slash(world.channel, "trivia stop")
    assert not stopped.ephemeral
    assert "Game stopped by" in stopped.response.embeds[0].description
    await world.env.advance_time(TIME_LIMIT + PAUSE)
    assert not any("Question 2" in (m.embeds[0].title or "") for m in bot_posts(world) if m.embeds)


async def test_stale_buttons_after_the_game_answer_politely(world: World) -> None:
    result = await world.fan.slash(world.channel, "trivia play", questions=1)
    good, _ = right_and_wrong(live_session(world))
    await world.env.advance_time(TIME_LIMIT)

    stale = await world.fan.click(result.response, custom_id=good)

    assert stale.ephemeral
    assert "game is over" in stale.response.content


async def test_the_game_ends_itself_when_nobody_plays(world: World) -> None:
    await world.fan.slash(world.channel, "trivia play", questions=5)

    await world.env.advance_time(2 * (TIME_LIMIT + PAUSE))

    final = bot_posts(world)[-1]
    assert "Nobody answered two questions in a row" in final.embeds[1].description
    assert trivia_cog(world).games.live_game(world.channel.id) is None


async def test_leaderboard_after_two_games_ranks_by_points(world: World) -> None:
    await play_one_question_game(world, world.fan, right=True)
    await world.env.advance_time(60)  # past the cooldown
    await play_one_question_game(world, world.admin, right=False)

    board = await world.fan.slash(world.channel, "trivia leaderboard")

    text = board.response.embeds[0].description
    assert text.index(f"<@{world.fan.id}>") < text.index(f"<@{world.admin.id}>")
    assert "1/1 right" in text and "0/1 right" in text
    stats = await world.fan.slash(world.channel, "trivia stats")
    assert "#1" in embed_text(stats.response.embeds[0])


async def test_a_new_game_waits_for_the_cooldown(world: World) -> None:
    await play_one_question_game(world, world.fan, right=True)

    early = await world.fan.slash(world.channel, "trivia play")

    assert early.ephemeral and "cooling down" in early.response.content


async def test_triviaset_is_a_command_of_its_own_that_discord_shows_only_to_admins(world: World) -> None:
    # Discord ignores default_member_permissions on subcommands: `/trivia settings` was visible to all.
    synced = {c.name: c for c in await world.bot.tree.fetch_commands()}

    assert synced["triviaset"].default_member_permissions == discord.Permissions(manage_guild=True)
    command = world.bot.tree.get_command("triviaset")
    assert isinstance(command, app_commands.Command) and command.guild_only
    assert "triviaset" in world.admin.available_commands(world.channel)
    assert "triviaset" not in world.fan.available_commands(world.channel)
    assert "trivia play" in world.fan.available_commands(world.channel)
    assert "trivia settings" not in world.admin.available_commands(world.channel)


async def test_settings_by_a_non_admin_the_server_let_see_it_are_still_refused(world: World) -> None:
    # A server may grant the command to anyone (Integrations settings); the run-time check still holds.
    synced = {c.name: c for c in await world.bot.tree.fetch_commands()}
    world.guild.set_command_permissions(synced["triviaset"], {world.fan: True})

    result = await world.fan.slash(world.channel, "triviaset", time_limit=60)

    assert result.ephemeral
    assert "Manage Server" in result.response.content
    settings = await world.bot.store.trivia.get_settings(guild_id=world.guild.id)
    assert settings.time_limit_s == 20


async def test_settings_by_an_admin_change_the_next_game(world: World) -> None:
    changed = await world.admin.slash(world.channel, "triviaset", time_limit=45, questions=3)
    assert "45 s" in changed.response.embeds[0].description

    await world.fan.slash(world.channel, "trivia play")

    session = live_session(world)
    assert len(session.questions) == 3
    assert session.time_limit.total_seconds() == 45


async def test_buttons_from_before_a_restart_answer_politely(world: World) -> None:
    result = await world.fan.slash(world.channel, "trivia play", questions=2)
    good, _ = right_and_wrong(live_session(world))
    old = world.bot
    fresh = PhotoFinish(settings=old.settings, store=old.store, clock=old.clock, sync_policy="never")

    await world.env.restart_bot(fresh)
    stale = await world.fan.click(result.response, custom_id=good)

    assert stale.ephemeral
    assert "game is over" in stale.response.content
    again = await world.fan.slash(world.channel, "trivia play", questions=1)
    assert "Question 1 of 1" in again.response.embeds[0].title
