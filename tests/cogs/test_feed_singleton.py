"""With the feed sync on, the Feed cog polls in one process of those sharing the database; another takes over."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.bot import PhotoFinish
from bot.cluster import Cluster
from bot.settings import Settings
from cogs.feed import Feed
from db.importers.feed.client import FeedResponse
from db.repos.leases import LeaseStore
from db.storage.backend import open_db
from db.store import Store


async def no_answer(_url: str) -> FeedResponse:
    await asyncio.Event().wait()  # the feed never answers: only who polls is under test
    raise AssertionError("unreachable")


async def test_one_of_two_bots_polls_the_feed_and_the_other_takes_over_when_it_stops(db_path: Path) -> None:
    settings = Settings(_env_file=None, database_path=str(db_path), feed_sync=True)
    async with open_db(db_path) as first_db, open_db(db_path) as second_db:
        bots = [
            PhotoFinish(settings=settings, store=Store(db), extensions=(), sync_policy="never")
            for db in (first_db, second_db)
        ]
        # Two processes: the same host and pid here, so the second is named as another host's would be.
        bots[1].cluster = Cluster(LeaseStore(second_db), bots[1].our_shards, bots[1].clock, process="other|1|1")
        feeds = [Feed(bot, fetch=no_answer) for bot in bots]
        try:
            for feed in feeds:
                await feed.cog_load()
            assert [feed.loop is not None and feed.loop.running for feed in feeds] == [True, False]

            await feeds[0].cog_unload()  # its process stops: the singleton is given back at once
            await bots[1].cluster.keeper.beat()
            assert feeds[1].loop is not None and feeds[1].loop.running
        finally:
            for feed, bot in zip(feeds, bots, strict=True):
                await feed.cog_unload()
                await bot.cluster.stop()
