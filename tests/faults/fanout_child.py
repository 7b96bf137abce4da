"""A bot process for the fault tests: the real AlertService fan-out, posting to the fake Discord over HTTP.

Run: python -m tests.faults.fanout_child DB URL WALL_EPOCH FIRE_AT RATE

Only Discord is replaced: channels whose `send` and `history` talk to tests/faults/fake_discord.py
(which lives in the test process, so it survives a SIGKILL of this one). The planner, the ledger,
the stale-claim policy, the limiter and the sender are the real ones on the real SQLite file.
The clock is the wall clock shifted so that WALL_EPOCH (a time.time() value) reads FIRE_AT: time
keeps running across kills and restarts, as it does for a real bot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord

from bot.alerts.limiter import TokenBucket
from bot.alerts.service import AlertService
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fake_discord import BOT_USER_ID

PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True, read_message_history=True)


class HttpChannel:
    """The part of discord.TextChannel the sender uses, over HTTP to the fake Discord."""

    def __init__(self, session: aiohttp.ClientSession, url: str, channel_id: int, guild: Any) -> None:
        self._session, self._url = session, f"{url}/channels/{channel_id}/messages"
        self.id, self.guild = channel_id, guild

    def permissions_for(self, _member: Any) -> discord.Permissions:
        return PERMISSIONS

    async def send(
        self, *, content: str | None, embed: discord.Embed, allowed_mentions: discord.AllowedMentions, nonce: str
    ) -> Any:
        body = {
            "content": content,
            "embeds": [embed.to_dict()],
            "allowed_mentions": allowed_mentions.to_dict(),
            "nonce": nonce,
            "enforce_nonce": True,
        }
        async with self._session.post(self._url, json=body) as response:
            response.raise_for_status()
            return SimpleNamespace(id=int((await response.json())["id"]))

    async def history(self, *, limit: int | None, after: Any = None, oldest_first: bool = False) -> AsyncIterator[Any]:
        # The fake's ids are not time snowflakes, so `after` is not sent: the whole channel, in the order asked.
        async with self._session.get(self._url, params={"limit": str(limit or 10_000)}) as response:
            messages = await response.json()
        for message in reversed(messages) if oldest_first else messages:
            yield SimpleNamespace(
                id=int(message["id"]),
                author=SimpleNamespace(id=int(message["author_id"])),
                embeds=[discord.Embed.from_dict(e) for e in message["embeds"]],
            )


class FakeBot:
    """What AlertService reads from the bot: clock, store, user, and guilds/channels (all of them ours)."""

    def __init__(self, store: Store, session: aiohttp.ClientSession, url: str, offset: dt.timedelta) -> None:
        self.store, self._session, self._url, self._offset = store, session, url, offset
        self.user = SimpleNamespace(id=BOT_USER_ID)
        self.settings = SimpleNamespace(send_rate=50.0)

    def clock(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self._offset

    def get_guild(self, guild_id: int) -> Any:
        return SimpleNamespace(id=guild_id, me=SimpleNamespace(id=BOT_USER_ID))

    def get_channel(self, channel_id: int) -> HttpChannel:
        # Each test guild has one alert channel whose id is the guild id + 1.
        return HttpChannel(self._session, self._url, channel_id, self.get_guild(channel_id - 1))

    async def fetch_channel(self, channel_id: int) -> HttpChannel:
        return self.get_channel(channel_id)


async def run(db: str, url: str, wall_epoch: float, fire_at: dt.datetime, rate: float) -> None:
    offset = fire_at - dt.datetime.fromtimestamp(wall_epoch, dt.UTC)
    async with open_db(db) as database, aiohttp.ClientSession() as session:
        service = AlertService(FakeBot(Store(database), session, url, offset), limiter=TokenBucket(rate, burst=20))
        await service.start()
        await service.wait_idle()
        service.stop()


def main(argv: list[str]) -> int:
    db, url, wall_epoch, fire_at, rate = argv
    started = time.perf_counter()
    asyncio.run(run(db, url, float(wall_epoch), dt.datetime.fromisoformat(fire_at), float(rate)))
    print(f"fan-out finished in {time.perf_counter() - started:.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
