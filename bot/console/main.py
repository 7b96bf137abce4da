"""`photofinish console`: the bot on the bundled data with simcord as the server, in the terminal or a browser.

Starts the bot and the console server, then hands the session to the terminal loop here or to the
browser preview (bot/console/web.py); session.py knows neither front end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import AsyncIterator

from rich.console import Console
from rich.markup import escape

from bot.app import open_bot
from bot.clock import VirtualClock
from bot.console.server import console_env
from bot.console.session import HELP, ConsoleSession, Persona
from bot.console.web import serve_preview
from bot.settings import Settings


async def _lines(interactive: bool) -> AsyncIterator[str]:
    if interactive:
        while True:
            try:
                yield await asyncio.to_thread(input, "› ")
            except EOFError:
                return
    else:
        for line in sys.stdin:
            yield line


async def run_console(
    settings: Settings,
    *,
    now: dt.datetime | None,
    persona: Persona,
    out: Console | None = None,
    interactive: bool | None = None,
    web: bool = False,
    port: int | None = None,
) -> int:
    out = out or Console()
    interactive = sys.stdin.isatty() if interactive is None else interactive
    clock = VirtualClock(now or dt.datetime.now(dt.UTC))
    async with (
        open_bot(settings, clock=clock, sync_policy="always") as bot,
        console_env(bot, clock, out) as (env, server),
    ):
        session = ConsoleSession(env, bot, out, persona, server)
        if web:
            return await serve_preview(session, out, port=port)
        if interactive:
            out.print(f"[bold]Photo Finish console[/bold] — offline, clock {clock():%Y-%m-%d %H:%M} UTC.")
            out.print(escape(HELP))
        await session.show_channel_posts()  # what the bot posted as it started (a late reminder, say)
        async for line in _lines(interactive):
            if not await session.handle(line):
                break
        await session.show_channel_posts()
    return 0
