"""Background feed sync (no commands): runs while the bot is up when FEED_SYNC is on."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.feed_sync import FeedSyncLoop
from db.importers.feed.client import FetchJson, HttpFetcher
from db.importers.feed.sync import FeedSync
from db.repos.meta import MetaStore

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

log = logging.getLogger(__name__)

FEED_SYNC = "feed-sync"


class Feed(commands.Cog):
    def __init__(self, bot: PhotoFinish, *, fetch: FetchJson | None = None) -> None:
        self.bot = bot
        self._fetch = fetch
        self._http: HttpFetcher | None = None
        self.loop: FeedSyncLoop | None = None

    async def race_official(self, race_id: int) -> None:
        """A race's result just became official: tell every listener (`on_race_official`), e.g. results alerts."""
        self.bot.store.data_changed()
        self.bot.dispatch("race_official", race_id)

    def connected(self) -> bool:
        """Logged in to Discord with our DISCORD_TOKEN (the console and tests log in with simcord's own)."""
        token = self.bot.settings.token
        return bool(token) and getattr(self.bot.http, "token", None) == token

    async def cog_load(self) -> None:
        if not self.bot.settings.feed_sync_enabled(connected=self.connected()):
            return
        fetch = self._fetch
        if fetch is None:
            fetch = self._http = HttpFetcher()
        sync = FeedSync(self.bot.store.db, fetch, base_url=self.bot.settings.feed_base_url, clock=self.bot.clock)
        self.loop = FeedSyncLoop(sync, MetaStore(self.bot.store.db), on_official=self.race_official)
        # One poller among all the processes on the database; the others wait to take over (bot/cluster.py).
        await self.bot.cluster.start()
        await self.bot.cluster.singleton(FEED_SYNC, self._poller)
        log.info("Feed sync on (%s)", self.bot.settings.feed_base_url)

    async def _poller(self, held: bool) -> None:
        assert self.loop is not None
        if held:
            log.info("This process polls the feed")
            self.loop.start()
        else:
            await self.loop.stop()

    async def cog_unload(self) -> None:
        if self.loop is not None:
            await self.bot.cluster.leave(FEED_SYNC)
            await self.loop.stop()
        if self._http is not None:
            await self._http.close()


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Feed(bot))
