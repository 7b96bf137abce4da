"""Wiring: open the database, load bundled data, build the bot. Used by `run`, the console and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

from bot.bot import PhotoFinish, SyncPolicy, bot_for
from bot.clock import Clock, system_clock
from bot.settings import Settings
from db.importers.loader import load_bundled
from db.storage.backend import open_db
from db.storage.connection import busy_names_holder
from db.store import Store


@asynccontextmanager
async def open_bot(
    settings: Settings, *, clock: Clock = system_clock, sync_policy: SyncPolicy = "if_changed"
) -> AsyncIterator[PhotoFinish]:
    """A ready-to-start bot on a migrated database with the bundled data loaded; closed on exit."""
    async with open_db(settings.database) as db:
        with busy_names_holder(settings.database_shown):  # one line naming who holds the lock, not a traceback
            await load_bundled(db)
        store = Store(db)
        if settings.discord_api_base:  # every REST request through the proxy (README "Running several processes")
            discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
        bot = bot_for(settings, store=store, clock=clock, sync_policy=sync_policy)
        try:
            yield bot
        finally:
            if not bot.is_closed():
                await bot.close()
