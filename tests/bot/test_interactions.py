"""Every interaction is answered: forged, stale and unknown clicks, bad raw option values, failing buttons."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import AsyncIterator
from typing import Any, Self

import discord
import pytest
import simcord

from bot.bot import PhotoFinish
from bot.embeds.trivia import NOT_A_CHOICE
from bot.errors import UserFacingError
from bot.tree import GENERIC_APOLOGY
from bot.views.base import PhotoFinishButton, PhotoFinishView
from bot.views.unclaimed import INACTIVE
from cogs.results._buttons import GONE
from cogs.trivia._views import custom_id as trivia_custom_id
from tests.bot.forge import click_anything, post_buttons
from tests.conftest import World

ANSWER_WITHIN_S = 3.0


def custom_ids(message: Any) -> list[str]:
    return [c["custom_id"] for row in message.components for c in row["components"] if c.get("custom_id")]


async def kansas(world: World) -> tuple[Any, int]:
    """The /result kansas message and its race id (from its Full field button)."""
    result = await world.fan.slash(world.channel, "result", track="kansas")
    field = next(c for c in custom_ids(result.response) if c.startswith("pf:field:"))
    return result.response, int(field.split(":")[2])


# ---------------------------------------------------------------- clicks nobody handles


@pytest.mark.parametrize(
    "custom_id",
    ["junk", "pf:field:abc:0:open", "pf:field:1:0:open:x", "pf:sched:nascar:2024:0:next", "trivia:zz:1:1", "x" * 100],
)
async def test_a_custom_id_no_button_claims_is_answered_no_longer_active(world: World, custom_id: str) -> None:
    message = await post_buttons(world.bot, world.channel.id, custom_id)

    started = time.perf_counter()
    clicked = await world.fan.click(message, custom_id=custom_id)

    assert time.perf_counter() - started < ANSWER_WITHIN_S
    assert clicked.ephemeral and clicked.response.content == INACTIVE


async def test_a_click_the_message_does_not_carry_is_answered_no_longer_active(world: World) -> None:
    # discord.py hands a DynamicItem only custom_ids that are on the clicked message; the rest it drops.
    message, race_id = await kansas(world)

    assert f"pf:field:{race_id}:3:next" not in custom_ids(message)
    clicked = await click_anything(world.fan, message, f"pf:field:{race_id}:3:next")

    assert clicked.ephemeral and clicked.response.content == INACTIVE


async def test_a_live_button_is_answered_by_itself_only(world: World) -> None:
    message, race_id = await kansas(world)

    clicked = await world.fan.click(message, custom_id=f"pf:stages:{race_id}")

    assert clicked.ephemeral and clicked.response.embeds
    assert clicked.followups == []


async def test_a_button_of_an_unloaded_cog_is_answered_no_longer_active(world: World) -> None:
    message, race_id = await kansas(world)
    await world.bot.remove_cog("Results")

    clicked = await world.fan.click(message, custom_id=f"pf:stages:{race_id}")

    assert clicked.ephemeral and clicked.response.content == INACTIVE


# ---------------------------------------------------------------- forged values in live templates


@pytest.mark.parametrize(
    "custom_id", ["pf:field:999999999:0:open", "pf:stages:999999999", "pf:quotes:999999999:s", "pf:field:0:5:next:s"]
)
async def test_a_race_that_does_not_exist_gets_a_clear_answer(world: World, custom_id: str) -> None:
    message = await post_buttons(world.bot, world.channel.id, custom_id)

    clicked = await world.fan.click(message, custom_id=custom_id)

    assert clicked.ephemeral and clicked.response.content == GONE


@pytest.mark.parametrize("tag", ["open", "next", "prev"])
async def test_an_out_of_range_field_page_shows_the_nearest_page(world: World, tag: str) -> None:
    _, race_id = await kansas(world)
    forged = f"pf:field:{race_id}:999:{tag}"
    message = await post_buttons(world.bot, world.channel.id, forged)

    clicked = await world.fan.click(message, custom_id=forged)

    assert clicked.acknowledged
    shown = clicked.response if tag == "open" else world.channel.last_message
    assert shown is not None and shown.embeds and "AdventHealth 400" in (shown.embeds[0].title or "")


@pytest.mark.parametrize(
    ("custom_id", "answer"),
    [
        ("pf:sched:cup:1999:0:next", "no longer have the 1999 schedule"),
        ("pf:stand:truck:1999:0:0:next", "no longer have these 1999 standings"),
        ("pf:stand:cup:2024:99:99:prev", "no longer have these 2024 standings"),
    ],
)
async def test_a_forged_schedule_or_standings_page_is_answered(world: World, custom_id: str, answer: str) -> None:
    message = await post_buttons(world.bot, world.channel.id, custom_id)

    clicked = await world.fan.click(message, custom_id=custom_id)

    assert clicked.ephemeral and answer in clicked.response.content


async def test_an_out_of_range_schedule_page_shows_the_last_page(world: World) -> None:
    forged = "pf:sched:cup:2024:999:next"
    message = await post_buttons(world.bot, world.channel.id, forged)

    clicked = await world.fan.click(message, custom_id=forged)

    assert clicked.acknowledged and not clicked.ephemeral
    edited = world.channel.last_message
    assert edited is not None and edited.embeds and "2024" in (edited.embeds[0].title or "")


# ---------------------------------------------------------------- trivia


async def test_a_trivia_choice_beyond_the_four_buttons_is_refused_politely(world: World) -> None:
    started = await world.fan.slash(world.channel, "trivia play", questions=1)
    game_id = custom_ids(started.response)[0].split(":")[1]
    forged = trivia_custom_id(game_id, 1, 7)
    message = await post_buttons(world.bot, world.channel.id, forged)

    clicked = await world.fan.click(message, custom_id=forged)
    right = await world.fan.click(started.response, custom_id=trivia_custom_id(game_id, 1, 0))

    assert clicked.ephemeral and clicked.response.content == NOT_A_CHOICE
    assert "Locked in" in right.response.content  # the forged click did not use up the player's answer


async def test_a_click_for_a_trivia_game_that_never_existed_says_it_is_over(world: World) -> None:
    forged = trivia_custom_id("deadbeef", 1, 0)
    message = await post_buttons(world.bot, world.channel.id, forged)

    clicked = await world.fan.click(message, custom_id=forged)

    assert clicked.ephemeral and "game is over" in clicked.response.content


# ---------------------------------------------------------------- one policy for buttons and commands


class Boom(PhotoFinishButton, template=r"test:boom:(?P<kind>bug|user|parse)"):
    def __init__(self, kind: str) -> None:
        super().__init__(discord.ui.Button(label=kind, custom_id=f"test:boom:{kind}"))
        self.kind = kind

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> Self:
        if match["kind"] == "parse":
            raise ValueError("a custom_id the template admits but the button cannot read")
        return cls(match["kind"])

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        if self.kind == "user":
            raise UserFacingError("You can't do that with this button.")
        raise RuntimeError("a bug in a button")


@pytest.fixture
async def env_keeping_errors(simcord_bot: PhotoFinish) -> AsyncIterator[simcord.Env]:
    """simcord without conftest's check, for the test that makes a button fail on purpose."""
    env = simcord.Env(simcord_bot)
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()


async def test_a_failing_button_goes_through_the_trees_policy(env_keeping_errors: simcord.Env) -> None:
    env = env_keeping_errors
    bot = env.bot
    assert isinstance(bot, PhotoFinish)
    bot.add_dynamic_items(Boom)
    guild = env.create_guild(name="Test Server")
    channel = guild.create_text_channel("race-chat")
    fan: Any = guild.add_member(env.create_user("fan"))
    message = await post_buttons(bot, channel.id, "test:boom:bug", "test:boom:user", "test:boom:parse")

    started = time.perf_counter()
    bug = await fan.click(message, custom_id="test:boom:bug")
    user = await fan.click(message, custom_id="test:boom:user")
    parse = await fan.click(message, custom_id="test:boom:parse")

    assert time.perf_counter() - started < ANSWER_WITHIN_S
    assert bug.ephemeral and bug.response.content == GENERIC_APOLOGY
    assert user.ephemeral and user.response.content == "You can't do that with this button."
    assert parse.ephemeral and parse.response.content == GENERIC_APOLOGY
    recorded = [type(e).__name__ for e in env.errors]  # simcord records what reaches the tree's on_error
    assert recorded == ["ComponentFailed", "UserFacingError", "ComponentFailed"]


def test_a_view_holds_only_photofinish_buttons() -> None:
    view = PhotoFinishView()
    with pytest.raises(TypeError):
        view.add_item(discord.ui.Button(label="plain", custom_id="plain"))
    view.add_item(Boom("bug"))
    assert view.timeout is None


def test_forge_uses_simcord_privates_that_exist() -> None:
    from simcord import actors

    assert callable(getattr(actors, "_component_interaction", None)), "simcord moved _component_interaction"
    assert callable(getattr(actors.MemberActor, "_dispatch_interaction", None))
    assert callable(getattr(actors.MemberActor, "_resolve_root", None))
    assert callable(getattr(actors.MemberActor, "_message", None))


def test_every_button_class_is_registered_so_the_catch_all_leaves_its_clicks_alone(world: World) -> None:
    # A PhotoFinishButton a cog forgot to register would be answered twice: by itself and as unclaimed.
    def subclasses(cls: type[PhotoFinishButton]) -> list[type[PhotoFinishButton]]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    def current(cls: type) -> bool:
        # A closed bot unloads its extensions: their modules are imported afresh, old classes linger.
        return getattr(sys.modules.get(cls.__module__), cls.__name__, None) is cls

    ours = [c for c in subclasses(PhotoFinishButton) if c.__module__.startswith(("bot.", "cogs.")) and current(c)]

    assert len(ours) >= 5  # field, stages, quotes, schedule and standings pages, trivia answers
    assert [c.__qualname__ for c in ours if not world.bot.component_claims.knows(c)] == []
