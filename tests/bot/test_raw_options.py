"""Option values Discord would never send reach the tree's error policy as one short line, not an exception.

discord.py trusts Discord: a channel "abc" raised inside its Namespace before any handler, and an unknown
choice or out-of-range number reached the command. bot/raw_options.py checks them first.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.bot.forge import slash_raw
from tests.conftest import World

ANSWER_WITHIN_S = 3.0


@pytest.mark.parametrize(
    ("command", "option", "needle"),
    [
        ("alerts setup", {"name": "channel", "type": 7, "value": "abc"}, "not a valid channel"),
        ("trivia play", {"name": "questions", "type": 4, "value": "x"}, "not a valid questions"),
        ("trivia play", {"name": "questions", "type": 4, "value": 10**6}, "at most"),
        ("trivia play", {"name": "questions", "type": 3, "value": "5"}, "expected a whole number"),
        ("trivia leaderboard", {"name": "period", "type": 3, "value": "p" * 300}, "offered choices"),
        ("result", {"name": "track", "type": 3, "value": "t" * 7000}, "at most"),
        ("trivia stats", {"name": "user", "type": 6, "value": "-5"}, "not a valid user"),
    ],
)
async def test_an_option_value_discord_would_refuse_gets_one_clear_line(
    world: World, command: str, option: dict[str, Any], needle: str
) -> None:
    started = time.perf_counter()
    result = await slash_raw(world.admin, world.channel, command, [option])

    assert time.perf_counter() - started < ANSWER_WITHIN_S
    assert result.ephemeral and needle in result.response.content
    assert len(result.response.content) <= 200


async def test_a_missing_required_option_is_named(world: World) -> None:
    result = await slash_raw(world.admin, world.channel, "result", [])

    assert result.ephemeral and result.response.content == "The track option is required."


async def test_a_bad_value_beside_the_one_being_typed_gets_no_choices_rather_than_silence(world: World) -> None:
    # An autocomplete interaction cannot carry an error message: an empty list of choices is the answer.
    typing = {"name": "track", "type": 3, "value": "kan", "focused": True}
    fine = await slash_raw(world.fan, world.channel, "result", [typing], autocomplete=True)
    bad = await slash_raw(
        world.fan, world.channel, "result", [typing, {"name": "season", "type": 4, "value": "x"}], autocomplete=True
    )

    assert fine.autocomplete_choices  # the same typing, with sane options, is offered tracks
    assert bad.acknowledged and bad.autocomplete_choices == []


async def test_a_command_that_no_longer_exists_gets_a_sentence(world: World) -> None:
    # A Discord client that has not refreshed still offers /trivia settings (now /triviaset).
    result = await slash_raw(world.admin, world.channel, "trivia settings", [])

    assert result.ephemeral and "no longer exists" in result.response.content


async def test_autocomplete_for_a_command_that_no_longer_exists_gets_no_choices(world: World) -> None:
    typing = {"name": "time_limit", "type": 4, "value": "3", "focused": True}
    result = await slash_raw(world.admin, world.channel, "trivia settings", [typing], autocomplete=True)

    assert result.acknowledged and result.autocomplete_choices == []
