"""A tiny fake of Discord's channel-message API that outlives the bot processes the fault tests kill.

It runs in the test process on 127.0.0.1. Like Discord with `enforce_nonce`, a second post with a nonce
already used in that channel returns the first message instead of creating another. It records every
raw request, so a test can tell "posted once" from "posted twice and deduplicated".
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER_ID = 900_000_000_000_000_001


@dataclass
class Posted:
    id: int
    channel_id: int
    nonce: str | None
    body: dict[str, Any]


@dataclass
class FakeDiscord:
    """Messages per channel, every raw post, and an optional hook called as each new message is stored."""

    messages: dict[int, list[Posted]] = field(default_factory=dict)
    raw_posts: list[Posted] = field(default_factory=list)
    on_created: Callable[[Posted], None] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000))
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/channels/{channel_id}/messages", self._post)
        app.router.add_get("/channels/{channel_id}/messages", self._history)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def created(self) -> list[Posted]:
        return [m for channel in self.messages.values() for m in channel]

    async def _post(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        body = await request.json()
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        channel = self.messages.setdefault(channel_id, [])
        self.raw_posts.append(Posted(id=0, channel_id=channel_id, nonce=nonce, body=body))
        existing = next((m for m in channel if nonce is not None and m.nonce == nonce), None)
        if existing is not None:
            return web.json_response(_payload(existing))
        message = Posted(id=next(self._ids), channel_id=channel_id, nonce=nonce, body=body)
        channel.append(message)
        if self.on_created is not None:
            self.on_created(message)  # may SIGKILL the poster: the message exists, the answer never arrives
            await asyncio.sleep(0)
        return web.json_response(_payload(message))

    async def _history(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        limit = int(request.query.get("limit", "50"))
        newest_first = list(reversed(self.messages.get(channel_id, [])))[:limit]
        return web.json_response([_payload(m) for m in newest_first])


def _payload(message: Posted) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "author_id": str(BOT_USER_ID),
        "nonce": message.nonce,
        "embeds": message.body.get("embeds", []),
    }
