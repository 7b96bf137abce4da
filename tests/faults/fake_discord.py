"""A tiny fake of Discord's REST API that outlives the bot processes the fault tests kill.

It runs in the test process on 127.0.0.1. Like Discord with `enforce_nonce`, a second post with a nonce
already used in that channel returns the first message instead of creating another. It records every
raw post, so a test can tell "posted once" from "posted twice and deduplicated".

Every request is also counted by the 1-second window in which it arrives (`arrivals`). With
`global_limit` set it enforces Discord's global rule: a request beyond the limit in its window gets a
429 with `retry_after`, `"global": true` and the X-RateLimit-Global header, as Discord answers.
`fault` injects answers (5xx, a global 429, or an error returned after the message was created).
Interaction callbacks and the interaction webhook are outside the global limit, as on Discord.

The routes are served both bare (`/channels/…`, for fakes that post over plain HTTP) and under
`/api/v10`, so real discord.py can talk to it with `discord.http.Route.BASE` pointed here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import math
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER_ID = 900_000_000_000_000_001
API = "/api/v10"
# Discord's own rule, written here independently of bot/pacing.py: interaction callbacks and the
# interaction webhook (follow-ups, edits) are not bound to the bot's global limit.
NOT_GLOBAL = re.compile(r"/api/v10/(interactions/\d+/[^/]+/callback|webhooks/\d+/[^/]+(/.*)?)$")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Posted:
    id: int
    channel_id: int
    nonce: str | None
    body: dict[str, Any]


@dataclass(frozen=True)
class Fault:
    """An injected answer: `status` instead of the real one; with `after_create` the request takes effect first."""

    status: int
    after_create: bool = False
    retry_after: float = 1.0  # for a 429, always a global one


@dataclass(frozen=True)
class Arrival:
    at: float  # time.monotonic() when the request reached the fake
    method: str
    path: str
    status: int = 0
    over_limit: bool = False  # refused with a global 429 because its window was full


# (index of the counted request, method, path) -> a fault to answer with, or None for the real answer
FaultPlan = Callable[[int, str, str], Fault | None]


@dataclass
class FakeDiscord:
    """Messages per channel, every raw post, and an optional hook called as each new message is stored."""

    messages: dict[int, list[Posted]] = field(default_factory=dict)
    raw_posts: list[Posted] = field(default_factory=list)
    on_created: Callable[[Posted], None] | None = None
    global_limit: int | None = None  # Discord's is 50 per second per token; None: count but never refuse
    fault: FaultPlan | None = None
    arrivals: list[Arrival] = field(default_factory=list)  # every request under the global limit
    over_limit: int = 0  # requests refused because their window was full
    injected: Counter[int] = field(default_factory=Counter)
    _windows: Counter[int] = field(default_factory=Counter)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000))
    _order: itertools.count[int] = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> None:
        app = web.Application(middlewares=[self._global_limit])
        for prefix in ("", API):
            app.router.add_post(prefix + "/channels/{channel_id}/messages", self._post)
            app.router.add_get(prefix + "/channels/{channel_id}/messages", self._history)
        app.router.add_get(API + "/channels/{channel_id}", self._channel)
        app.router.add_get(API + "/users/@me", self._me)
        app.router.add_get(API + "/oauth2/applications/@me", self._application)
        app.router.add_post(API + "/interactions/{id}/{token}/callback", self._callback)
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

    def per_window(self) -> Counter[int]:
        """Requests (counted ones, refused or not) per whole second of time.monotonic()."""
        return Counter(math.floor(a.at) for a in self.arrivals)

    def most_in_any_second(self) -> int:
        """The most requests in any 1-second span (sliding), stricter than Discord's whole windows."""
        times = sorted(a.at for a in self.arrivals)
        most, first = 0, 0
        for last, at in enumerate(times):
            while at - times[first] >= 1.0:
                first += 1
            most = max(most, last - first + 1)
        return most

    @web.middleware
    async def _global_limit(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path if request.path.startswith(API) else API + request.path
        if NOT_GLOBAL.match(path):
            return await handler(request)
        now = time.monotonic()
        index = next(self._order)
        window = math.floor(now)
        self._windows[window] += 1
        arrival = Arrival(at=now, method=request.method, path=path)
        if self.global_limit is not None and self._windows[window] > self.global_limit:
            self.over_limit += 1
            self.arrivals.append(Arrival(at=now, method=request.method, path=path, status=429, over_limit=True))
            return global_429(window + 1 - now)
        fault = self.fault(index, request.method, path) if self.fault else None
        if fault is None:
            response = await handler(request)
        else:
            if fault.after_create:
                await handler(request)  # the message is stored; the bot hears only the error
            self.injected[fault.status] += 1
            response = global_429(fault.retry_after) if fault.status == 429 else server_error(fault.status)
        self.arrivals.append(_with_status(arrival, response.status))
        return response

    async def _post(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        body = await request.json()
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        channel = self.messages.setdefault(channel_id, [])
        self.raw_posts.append(Posted(id=0, channel_id=channel_id, nonce=nonce, body=body))
        existing = next((m for m in channel if nonce is not None and m.nonce == nonce), None)
        if existing is not None:
            return _json(_payload(existing))
        message = Posted(id=next(self._ids), channel_id=channel_id, nonce=nonce, body=body)
        channel.append(message)
        if self.on_created is not None:
            self.on_created(message)  # may SIGKILL the poster: the message exists, the answer never arrives
            await asyncio.sleep(0)
        return _json(_payload(message))

    async def _history(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        limit = int(request.query.get("limit", "50"))
        newest_first = list(reversed(self.messages.get(channel_id, [])))[:limit]
        return _json([_payload(m) for m in newest_first])

    async def _channel(self, request: web.Request) -> web.Response:
        # Each test guild has one alert channel whose id is the guild id + 1.
        channel_id = int(request.match_info["channel_id"])
        return _json(channel_payload(channel_id, guild_id=channel_id - 1))

    async def _me(self, _request: web.Request) -> web.Response:
        return _json(user_payload())

    async def _application(self, _request: web.Request) -> web.Response:
        owner = user_payload()
        return _json(
            {
                "id": owner["id"],
                "name": "Photo Finish",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": owner,
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _callback(self, _request: web.Request) -> web.Response:
        return web.Response(status=204)


def global_429(retry_after: float) -> web.Response:
    """Discord's answer beyond the global limit (the Via header tells discord.py it is not Cloudflare's)."""
    body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": True, "code": 0}
    headers = {
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
        "Via": "1.1 google",
    }
    return _json(body, status=429, headers=headers)


def server_error(status: int) -> web.Response:
    return _json({"message": f"{status}: Server Error", "code": 0}, status=status)


def user_payload() -> dict[str, Any]:
    return {"id": str(BOT_USER_ID), "username": "Photo Finish", "discriminator": "0", "avatar": None, "bot": True}


def channel_payload(channel_id: int, *, guild_id: int) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": f"alerts-{channel_id}",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py reads any other content type as text.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


def _with_status(arrival: Arrival, status: int) -> Arrival:
    return Arrival(at=arrival.at, method=arrival.method, path=arrival.path, status=status)


def _payload(message: Posted) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "author_id": str(BOT_USER_ID),
        "author": user_payload(),
        "nonce": message.nonce,
        "content": message.body.get("content") or "",
        "embeds": message.body.get("embeds", []),
        "timestamp": dt.datetime.now(dt.UTC).isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }
