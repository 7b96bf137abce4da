"""`photofinish console --web`: the process serves the preview and stops on Ctrl-C; its clock, page actions and typed
commands."""

from __future__ import annotations

import asyncio
import io
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

from bot.console.browser import preview_process
from bot.console.server import build_server
from bot.console.session import ConsoleSession
from bot.console.web import (
    ShownMessages,
    TypedCommands,
    WallClockPacer,
    presentation_timezone,
    serialise_page_actions,
)
from tests.conftest import World


def test_console_web_serves_the_page_until_ctrl_c(tmp_path: Path) -> None:
    with preview_process(tmp_path) as running:
        page_url = running.url.split("#", 1)[0]
        with urllib.request.urlopen(page_url, timeout=10) as response:
            status, body = response.status, response.read()
        exit_code = running.stop()

    assert running.url.startswith("http://127.0.0.1:")
    assert status == 200
    assert b"<html" in body.lower()
    assert exit_code == 0
    assert "Preview stopped." in running.output


def test_preview_shows_times_in_the_tz_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert presentation_timezone() == "America/New_York"


def test_preview_falls_back_to_utc_when_tz_is_not_a_zone_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    assert presentation_timezone() == "UTC"


async def test_the_pacer_keeps_virtual_time_level_with_the_wall_clock(world: World) -> None:
    pacer = WallClockPacer(world.env)
    before = world.bot.clock()

    await asyncio.sleep(0.6)
    await pacer.catch_up()

    moved = (world.bot.clock() - before).total_seconds()
    assert 0.55 <= moved <= 1.5
    assert abs(pacer.behind()) < 0.2


async def test_the_pacer_fires_a_timer_set_while_it_was_behind_on_time(world: World) -> None:
    """The old pacer counted time owed before a timer was set against it, closing questions early."""
    pacer = WallClockPacer(world.env)
    await asyncio.sleep(0.5)  # owed, not yet paid
    await pacer.catch_up()
    fired: list[float] = []
    start = time.monotonic()
    world.bot.loop.call_later(0.4, lambda: fired.append(time.monotonic() - start))

    while not fired and time.monotonic() - start < 3:
        await asyncio.sleep(0.05)
        await pacer.catch_up()

    assert fired and 0.35 <= fired[0] <= 0.9


async def test_page_actions_wait_for_the_clock_tick_and_report_when_done() -> None:
    order: list[str] = []

    class FakePreview:
        async def _action(self, context: str, body: dict[str, object]) -> str:
            order.append("action")
            return "done"

    lock = asyncio.Lock()
    preview = FakePreview()
    serialise_page_actions(preview, lock, after=lambda: order.append("after"))

    async with lock:
        pending = asyncio.ensure_future(preview._action("ctx", {}))
        await asyncio.sleep(0.05)
        order.append("tick")
    assert await pending == "done"

    assert order == ["tick", "action", "after"]


def session_in(world: World) -> ConsoleSession:
    server = build_server(world.env)
    return ConsoleSession(world.env, world.bot, Console(file=io.StringIO()), "admin", server)


async def test_a_slash_command_typed_as_text_gets_its_answer(world: World) -> None:
    session = session_in(world)
    typed = TypedCommands(session)
    fan = session.actors["fan"]

    await fan.send(session.channel, "/result kansas")
    typed.expect()  # what a page action's end does
    assert await typed.answer_new()
    await world.env.settle()

    answer = session.channel.last_message
    assert answer.author.id == world.bot.user.id
    assert answer.interaction_metadata is not None and answer.interaction_metadata.user.id == fan.id
    assert "Kyle Larson" in str(answer.embeds[0].description)


async def test_typed_text_that_is_not_a_command_gets_a_hint(world: World) -> None:
    session = session_in(world)
    typed = TypedCommands(session)

    await session.actors["admin"].send(session.channel, "/resul kansas")
    typed.expect()
    await typed.answer_new()
    await world.env.settle()

    hint = session.channel.last_message
    assert hint.author.id == world.bot.user.id
    assert "Unknown command /resul" in hint.content and "type / and pick one" in hint.content
    assert hint.reference is not None  # a reply to what was typed


async def test_plain_chat_and_old_messages_are_left_alone(world: World) -> None:
    session = session_in(world)
    await session.actors["fan"].send(session.channel, "/ping")
    typed = TypedCommands(session)  # starts after that message: not answered

    await session.actors["fan"].send(session.channel, "what a finish")
    typed.expect()

    assert not await typed.answer_new()
    assert session.channel.last_message.content == "what a finish"


class FakeChannel:
    def __init__(self) -> None:
        self.messages: list[SimpleNamespace] = []
        self.requests = 0  # the bot's REST calls so far
        self.reads = 0

    def history(self) -> list[SimpleNamespace]:
        self.reads += 1
        return self.messages

    def post(self, message_id: int) -> None:
        self.messages.append(SimpleNamespace(id=message_id, edited_at=None))
        self.requests += 1


def test_shown_messages_change_only_when_the_bot_changed_the_channel() -> None:
    channel = FakeChannel()
    shown = ShownMessages(channel, requests=lambda: channel.requests)
    assert not shown.changed()

    channel.post(1)
    assert shown.changed()
    assert not shown.changed()

    channel.post(2)
    shown.published()  # the page republished itself after its own action
    assert not shown.changed()

    channel.requests += 1  # a call that changed no message (a typing indicator, say)
    assert not shown.changed()


def test_shown_messages_read_the_channel_only_after_the_bot_made_a_call() -> None:
    channel = FakeChannel()
    shown = ShownMessages(channel, requests=lambda: channel.requests)
    reads = channel.reads

    for _ in range(10):
        shown.changed()

    assert channel.reads == reads
