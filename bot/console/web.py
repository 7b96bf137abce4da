"""`photofinish console --web`: simcord's browser preview of the console server, on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import simcord
from rich.console import Console

from bot.console.session import ConsoleSession

BOT_NAME = "Photo Finish"


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


async def serve_preview(session: ConsoleSession, out: Console, *, port: int | None = None) -> int:
    """Serve the #race-chat channel with a slash-command composer until Ctrl-C or the page ends it."""
    # simcord names every bot "TestBot"; the page should show ours as Discord would.
    await session.bot.user.edit(username=BOT_NAME)
    viewers = [session.actor, *(a for a in session.actors.values() if a is not session.actor)]
    # Relative times ("in 30 seconds") count from the bot's clock, which `--now` may set far from simcord's own.
    preview = session.env.preview(
        session.channel,
        viewers=viewers,
        layout="channel",
        port=port,
        timezone=presentation_timezone(),
        presentation_time=session.bot.clock(),
    )
    async with contextlib.AsyncExitStack() as stack:
        try:
            await stack.enter_async_context(preview)
        except simcord.SetupError as error:
            # Typically the port is taken; one line beats a traceback.
            print(f"error: {error}", file=sys.stderr)
            return 1
        # soft_wrap: the URL must stay on one line, or copying it from a narrow terminal breaks it.
        out.print(f"[bold]Preview:[/bold] {preview.url}", soft_wrap=True)
        out.print("[dim]Open it in a browser on this machine; type / in the message box for commands.[/dim]")
        out.print("[dim]The address is the key to this session: keep it to yourself. Ctrl-C stops.[/dim]")
        ticking = asyncio.ensure_future(_let_time_pass(session.env, preview, session.channel))
        try:
            await _wait_for_stop(preview)
        finally:
            ticking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticking
    out.print("[dim]Preview stopped.[/dim]")
    return 0


async def _let_time_pass(env: simcord.Env, preview: simcord.Preview, channel: Any, *, step: float = 1.0) -> None:
    """Move simcord's virtual clock with the wall clock, so trivia deadlines and reminders happen in the page.

    simcord only moves time when asked, and refuses overlapping operations, so a page click that
    lands during a tick would be refused. Time is therefore owed and paid only when a bot timer
    (a trivia deadline, a reminder) falls due, and never while a page action is in flight; the
    page is republished only when the bot changed a message (republishing voids an action the
    viewer is composing). simcord 3.2 (pinned) has no public API for pending timers or running
    actions; its private state is read defensively.
    """
    seen = _fingerprint(channel)
    owed = 0.0
    while True:
        await asyncio.sleep(step)
        owed += step
        due = _next_timer(env)
        if due is None or due > env.backend.clock.elapsed + owed:
            continue
        if getattr(preview, "_active_action", None) is not None or getattr(env, "_operation_task", None) is not None:
            continue
        try:
            await env.advance_time(owed)
            owed = 0.0
            now = _fingerprint(channel)
            if now != seen:
                seen = now
                await preview.refresh()
        except simcord.SetupError:
            continue


def _next_timer(env: simcord.Env) -> float | None:
    """Virtual time of the bot's next timer, from simcord's private work registry."""
    callbacks = getattr(getattr(env, "_work", None), "callbacks", ())
    times = [
        record.when
        for record in callbacks
        if getattr(record, "when", None) is not None
        and getattr(record, "handle", None) is not None
        and not record.handle.cancelled()
    ]
    return min(times, default=None)


def _fingerprint(channel: Any) -> tuple[tuple[int, object], ...]:
    """What the viewer can see changed: the channel's recent messages and their edits."""
    return tuple((message.id, message.edited_at) for message in channel.history()[-25:])


async def _wait_for_stop(preview: simcord.Preview) -> None:
    """Until SIGINT/SIGTERM, or until the page's "End preview session" closes it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    closed = asyncio.ensure_future(preview.wait_closed())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({closed, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (closed, stopped):
            task.cancel()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
