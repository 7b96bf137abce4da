"""`photofinish console --web`: simcord's browser preview of the console server, on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
import simcord
from rich.console import Console

from bot.console.session import ConsoleSession

log = logging.getLogger(__name__)

BOT_NAME = "Photo Finish"
# How often the bot's clock catches up with the wall clock; well inside the ±1 s a trivia deadline may be off.
TICK_S = 0.2
TYPED_HINT = "That went out as a plain message, not a command: type / and pick one from the list to fill its options."


def presentation_timezone() -> str:
    """Discord shows times in the reader's zone: take `TZ` when it names one, else UTC."""
    name = os.environ.get("TZ", "").strip().lstrip(":")
    if not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def serialise_page_actions(preview: Any, lock: asyncio.Lock, *, after: Callable[[], None]) -> None:
    """Make the page's actions (clicks, commands, autocomplete) take turns with the clock's ticks.

    simcord refuses two operations at once: a click landing while time advances would be refused
    ("context-unavailable") and lost. Every page action reaches the bot through `Preview._action`
    (simcord 3.2, pinned; tests/bot/console/test_simcord_privates.py fails loudly if that changes), so
    it is wrapped to hold the same lock as the ticks. `after` runs once an action has finished (and
    the page has republished itself).
    """
    original: Callable[..., Awaitable[Any]] = preview._action

    async def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        async with lock:
            try:
                return await original(*args, **kwargs)
            finally:
                after()

    preview._action = one_at_a_time


class WallClockPacer:
    """Keeps simcord's virtual clock (and so the bot's) level with the wall clock while the preview runs.

    simcord only moves time when asked. Every tick pays the time the wall clock moved since the server
    started, so the bot's clock is monotonic with the wall clock whether or not a tab is open: trivia
    deadlines, cooldowns and reminders happen on time. Paying only when a bot timer fell due (as before)
    let a stalled clock count time owed before a timer was set against it, closing questions early.
    """

    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        self._wall_start = time.monotonic()
        self._virtual_start = env.now()

    def behind(self) -> float:
        """Seconds the virtual clock trails the wall clock by (negative when it is ahead)."""
        wall = time.monotonic() - self._wall_start
        virtual = (self.env.now() - self._virtual_start).total_seconds()
        return wall - virtual

    async def catch_up(self) -> None:
        """Pay what is owed; call it holding the lock page actions take (see serialise_page_actions)."""
        owed = self.behind()
        if owed <= 0:
            return
        try:
            await self.env.advance_time(owed)
        except simcord.SetupError as error:  # another operation (shutting down): next tick
            log.debug("Clock tick skipped: %s", error)
        except TimeoutError:
            log.warning("The bot did not settle while time passed; the clock moved as far as it could")


class TypedCommands:
    """Slash commands typed as plain text into the page's message box get their answer, or a hint.

    Only a page action can post as a member, so the channel is read only after one (`expect`): reading
    it builds every message, which costs milliseconds per hundred messages, too much for every tick.
    """

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session
        self.seen = {message.id for message in session.channel.history()}
        self.pending = False

    def expect(self) -> None:
        """A page action finished: it may have posted a message."""
        self.pending = True

    async def answer_new(self) -> bool:
        """Answer the typed commands posted since the last look; True if any was found."""
        if not self.pending:
            return False
        self.pending = False
        by_id = {actor.id: actor for actor in self.session.actors.values()}
        found = False
        for message in self.session.channel.history():
            if message.id in self.seen:
                continue
            self.seen.add(message.id)
            actor = by_id.get(message.author.id)
            if actor is None or not message.content.lstrip().startswith("/"):
                continue
            found = True
            reply = await self.session.typed_command(actor, message.content.strip())
            if reply is not None:
                await self._reply(message, f"{reply.text}\n{TYPED_HINT}" if reply.failed else reply.text)
        return found

    async def _reply(self, message: discord.Message, text: str) -> None:
        channel = self.session.bot.get_channel(message.channel.id)
        await channel.send(
            text[:2000], reference=message.to_reference(), allowed_mentions=discord.AllowedMentions.none()
        )


async def serve_preview(session: ConsoleSession, out: Console, *, port: int | None = None) -> int:
    """Serve the #race-chat channel with a slash-command composer until Ctrl-C or the page ends it."""
    # simcord names every bot "TestBot"; the page should show ours as Discord would.
    await session.bot.user.edit(username=BOT_NAME)
    viewers = [session.actor, *(a for a in session.actors.values() if a is not session.actor)]
    try:
        # No presentation_time: simcord's clock reads the bot's (bot/console/server.py), and the page's
        # relative times ("in 30 seconds") then count from it as it moves, at every republish.
        preview = session.env.preview(
            session.channel, viewers=viewers, layout="channel", port=port, timezone=presentation_timezone()
        )
    except simcord.SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    async with contextlib.AsyncExitStack() as stack:
        try:
            await stack.enter_async_context(preview)
        except simcord.SetupError as error:
            # Typically the port is taken; one line beats a traceback.
            print(f"error: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            where = f"127.0.0.1:{port}" if port else "127.0.0.1"
            print(f"error: cannot serve the preview on {where}: {error.strerror or error}", file=sys.stderr)
            return 1
        # soft_wrap: the URL must stay on one line, or copying it from a narrow terminal breaks it.
        out.print(f"[bold]Preview:[/bold] {preview.url}", soft_wrap=True)
        out.print("[dim]Open it in a browser on this machine; type / in the message box for commands.[/dim]")
        out.print("[dim]The address is the key to this session: keep it to yourself. Ctrl-C stops.[/dim]")
        ticking = asyncio.ensure_future(_run_page(session, preview))
        try:
            await _wait_for_stop(preview, ticking)
        finally:
            ticking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticking
    out.print("[dim]Preview stopped.[/dim]")
    return 0


async def _run_page(session: ConsoleSession, preview: Any) -> None:
    """Tick the clock, answer typed commands, and republish the page when the bot changed what it shows."""
    lock = asyncio.Lock()
    env = session.env
    shown = ShownMessages(session.channel, requests=lambda: len(env.http_requests))
    typed = TypedCommands(session)

    def after_page_action() -> None:
        shown.published()
        typed.expect()

    serialise_page_actions(preview, lock, after=after_page_action)
    pacer = WallClockPacer(env)
    while True:
        await asyncio.sleep(TICK_S)
        async with lock:
            await pacer.catch_up()
            # The page's relative times count from this. simcord moves it only on a refresh, so a question
            # posted by a click would read "in 14 seconds" for a 10 s limit; keep it current for every publish.
            preview.capture_time = session.env.now()
            try:
                await typed.answer_new()
            except simcord.SetupError as error:
                log.debug("Typed command not answered this tick: %s", error)
            if shown.changed():
                with contextlib.suppress(simcord.SetupError):
                    await preview.refresh()


class ShownMessages:
    """What the page last showed of the channel, to republish only when the bot changed it on its own.

    A page action republishes the page itself; republishing again would void the buttons the viewer is
    about to click (simcord rejects a click on an older revision). The bot changes messages only through
    its REST calls, so the channel is read only when `requests()` (how many it has made) moved.
    """

    def __init__(self, channel: Any, *, requests: Callable[[], int]) -> None:
        self.channel = channel
        self.requests = requests
        self._requests = requests()
        self.seen = self._fingerprint()

    def _fingerprint(self) -> tuple[tuple[int, object], ...]:
        return tuple((message.id, message.edited_at) for message in self.channel.history()[-25:])

    def published(self) -> None:
        self._requests = self.requests()
        self.seen = self._fingerprint()

    def changed(self) -> bool:
        requests = self.requests()
        if requests == self._requests:
            return False
        self._requests = requests
        now = self._fingerprint()
        if now == self.seen:
            return False
        self.seen = now
        return True


async def _wait_for_stop(preview: Any, ticking: asyncio.Future[None]) -> None:
    """Until SIGINT/SIGTERM, the page's "End preview session", or the ticker failing."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    closed = asyncio.ensure_future(preview.wait_closed())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({closed, stopped, ticking}, return_when=asyncio.FIRST_COMPLETED)
        if ticking.done() and not ticking.cancelled() and ticking.exception() is not None:
            raise ticking.exception()  # type: ignore[misc]
    finally:
        for task in (closed, stopped):
            task.cancel()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
