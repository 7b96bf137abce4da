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

import aiohttp

from bot.alerts.channels import AlertChannel, OurMessage
from bot.alerts.limiter import TokenBucket
from bot.alerts.service import AlertService, AlertStores
from bot.embeds.alerts import AlertMessage
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fake_discord import BOT_USER_ID


class HttpChannel:
    """An AlertChannel (bot/alerts/channels.py) over HTTP to the fake Discord."""

    def __init__(self, session: aiohttp.ClientSession, url: str, channel_id: int) -> None:
        self._session, self._url = session, f"{url}/channels/{channel_id}/messages"

    def missing_permissions(self) -> list[str]:
        return []

    def can_read_history(self) -> bool:
        return True

    async def send(self, message: AlertMessage, *, nonce: str) -> int:
        body = {
            "content": message.content,
            "embeds": [message.embed.to_dict()],
            "allowed_mentions": message.allowed_mentions.to_dict(),
            "nonce": nonce,
            "enforce_nonce": True,
        }
        async with self._session.post(self._url, json=body) as response:
            response.raise_for_status()
            return int((await response.json())["id"])

    async def ours_since(self, since: dt.datetime) -> AsyncIterator[OurMessage]:
        # The fake's ids are not time snowflakes, so `since` is not sent: the whole channel, oldest first.
        async with self._session.get(self._url, params={"limit": "10000"}) as response:
            messages = await response.json()
        for message in reversed(messages):
            if int(message["author_id"]) == BOT_USER_ID:
                footers = tuple(text for e in message["embeds"] if (text := e.get("footer", {}).get("text")))
                yield OurMessage(int(message["id"]), footers)


class HttpChannels:
    """AlertChannels over HTTP: every channel exists (each test guild's alert channel is its id + 1)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self._session, self._url = session, url

    async def find(self, channel_id: int) -> AlertChannel:
        return HttpChannel(self._session, self._url, channel_id)


async def run(db: str, url: str, wall_epoch: float, fire_at: dt.datetime, rate: float) -> None:
    offset = fire_at - dt.datetime.fromtimestamp(wall_epoch, dt.UTC)
    async with open_db(db) as database, aiohttp.ClientSession() as session:
        service = AlertService(
            stores=AlertStores.of(Store(database)),
            channels=HttpChannels(session, url),
            clock=lambda: dt.datetime.now(dt.UTC) + offset,
            is_ours=lambda _guild: True,
            pace=TokenBucket(rate, burst=20),
        )
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
