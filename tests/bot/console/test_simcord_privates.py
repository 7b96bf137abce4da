"""The console leans on two simcord 3.2.1 privates; these fail loudly, and say which, when a new simcord moves them.

- `Clock._epoch` (bot/console/server.py set_simulated_clock): simcord's clock, set to FOUNDED to build the
  console server with the same ids every start, then to --now so message times read the bot's clock.
- `Preview._action` (bot/console/web.py serialise_page_actions): every page action goes through it; the
  console wraps it so clicks take turns with the clock's ticks.
- `Preview.capture_time` (bot/console/web.py): the instant the page's relative times count from; the console
  keeps it current between refreshes.
"""

from __future__ import annotations

import datetime as dt
import inspect
from importlib.metadata import version

import discord
import simcord

from bot.console.server import FOUNDED, build_server, set_simulated_clock
from tests.conftest import World

PINNED = "3.2.1"


def test_simcord_is_the_version_these_privates_were_checked_against() -> None:
    assert version("simcord") == PINNED, (
        f"simcord is {version('simcord')}, not {PINNED}: re-check Clock._epoch and Preview._action "
        "(bot/console/server.py, bot/console/web.py) and this file, then update PINNED"
    )


def test_setting_simcords_clock_moves_what_env_now_reads(world: World) -> None:
    instant = dt.datetime(2024, 5, 12, 17, tzinfo=dt.UTC)

    set_simulated_clock(world.env, instant)

    assert world.env.now() == instant, "simcord's Clock no longer keeps its epoch in _epoch"


async def test_setting_simcords_clock_keeps_it_running_with_virtual_time(world: World) -> None:
    instant = dt.datetime(2024, 5, 12, 17, tzinfo=dt.UTC)
    set_simulated_clock(world.env, instant)

    await world.env.advance_time(90)

    assert world.env.now() == instant + dt.timedelta(seconds=90)


def offline_bot() -> discord.Client:
    return discord.Client(intents=discord.Intents.none())


def test_a_server_built_at_the_founding_instant_gets_the_same_ids_in_a_fresh_simcord() -> None:
    ids = []
    for _ in range(2):
        env = simcord.Env(offline_bot())
        set_simulated_clock(env, FOUNDED)
        ids.append(build_server(env).ids())

    assert ids[0] == ids[1], "simcord numbers ids differently now: the console server would change every start"
    assert ids[0].guild >> 22 == int((FOUNDED.timestamp() - 1420070400) * 1000)  # Discord epoch


def test_a_server_built_with_its_saved_guild_id_matches_the_first_build() -> None:
    first = simcord.Env(offline_bot())
    set_simulated_clock(first, FOUNDED)
    original = build_server(first).ids()

    again = simcord.Env(offline_bot())
    set_simulated_clock(again, FOUNDED)

    assert build_server(again, guild_id=original.guild).ids() == original


def test_every_page_action_reaches_the_bot_through_preview_action() -> None:
    from simcord.preview import Preview
    from simcord.preview._server import PreviewServer

    assert inspect.iscoroutinefunction(Preview._action), "Preview._action is gone or no longer async"
    assert "self.preview._action(" in inspect.getsource(PreviewServer._action), (
        "simcord's preview server no longer calls Preview._action: clicks may race the clock ticks"
    )


def test_the_pages_relative_times_count_from_preview_capture_time() -> None:
    from simcord.preview import _snapshot

    assert '"presentationTime": preview.capture_time' in inspect.getsource(_snapshot), (
        "simcord's snapshot no longer reads Preview.capture_time: relative times in the page may stall"
    )
