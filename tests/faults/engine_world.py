"""An in-process world for the alert engine: the real AlertService on a real SQLite file, a Discord fake.

The fake answers like Discord where the engine's promises depend on it:
- message ids are snowflakes from the clock, so `after=` a claim's time finds what came after it;
- history with `after` returns the oldest `limit` messages after that id, newest first (as Discord does;
  discord.py then pages on, oldest first);
- a nonce already used in a channel returns the first message only within NONCE_TTL (Discord's dedup
  window is a few minutes): after it, a re-send is a second message;
- a refused channel answers 403 (50001 Missing Access) or 404 (10003 Unknown Channel) every time;
- every request is logged with the channel, so a test counts requests per channel.
The clock is the bot's: it can be set, or run on with the wall clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import discord

from bot.alerts.channels import AlertChannel, OurMessage
from bot.alerts.limiter import Unlimited
from bot.alerts.planner import delivery_key
from bot.alerts.service import AlertService, AlertStores
from bot.embeds.alerts import AlertMessage
from db.models.alerts import Lead
from db.store import Store

BOT_USER_ID = 900_000_000_000_000_001
MEMBER_ID = 900_000_000_000_000_777
NONCE_TTL = dt.timedelta(minutes=2)
REFUSALS = {403: (50001, "Missing Access"), 404: (10003, "Unknown Channel")}


class EngineClock:
    """The bot's clock: reads `start`, moves when set or advanced, and with the wall clock when running."""

    def __init__(self, start: dt.datetime, *, running: bool = False) -> None:
        self._at = start
        self._since = time.monotonic() if running else None

    def __call__(self) -> dt.datetime:
        if self._since is None:
            return self._at
        return self._at + dt.timedelta(seconds=time.monotonic() - self._since)

    def advance(self, delta: dt.timedelta) -> None:
        self._at += delta


@dataclass
class Message:
    id: int
    channel_id: int
    author_id: int
    content: str | None
    embeds: list[dict[str, Any]]
    nonce: str | None
    created: dt.datetime
    allowed_mentions: dict[str, Any] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    channel_id: int
    at: dt.datetime


@dataclass
class FakeDiscord:
    clock: EngineClock
    messages: dict[int, list[Message]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    refused: dict[int, int] = field(default_factory=dict)  # channel id -> 403 or 404
    post_takes: dt.timedelta = dt.timedelta(0)  # virtual time each post costs (a long paced queue)
    on_post: Callable[[int], None] | None = None  # called with the channel id as each post arrives
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def _snowflake(self) -> int:
        return discord.utils.time_snowflake(self.clock()) + next(self._seq) % 4096

    def requests_to(self, channel_id: int, method: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.channel_id == channel_id and (method is None or r.method == method)]

    def _refuse(self, channel_id: int) -> None:
        status = self.refused.get(channel_id)
        if status is not None:
            code, text = REFUSALS[status]
            response = SimpleNamespace(status=status, reason=text)
            error = discord.Forbidden if status == 403 else discord.NotFound
            raise error(response, {"code": code, "message": text})  # type: ignore[arg-type]

    def post(
        self,
        channel_id: int,
        *,
        author_id: int,
        content: str | None,
        embeds: list[dict[str, Any]],
        nonce: str | None,
        allowed_mentions: dict[str, Any] | None = None,
    ) -> Message:
        self.requests.append(Request("POST", channel_id, self.clock()))
        if self.on_post is not None:
            self.on_post(channel_id)
        self._refuse(channel_id)
        self.clock.advance(self.post_takes)
        channel = self.messages.setdefault(channel_id, [])
        now = self.clock()
        for old in channel:
            if nonce is not None and old.nonce == nonce and now - old.created < NONCE_TTL:
                return old
        message = Message(self._snowflake(), channel_id, author_id, content, embeds, nonce, now, allowed_mentions or {})
        channel.append(message)
        return message

    def history(self, channel_id: int, *, limit: int, after: int | None) -> list[Message]:
        self.requests.append(Request("GET", channel_id, self.clock()))
        self._refuse(channel_id)
        ordered = sorted(self.messages.get(channel_id, []), key=lambda m: m.id)
        if after is not None:
            return list(reversed([m for m in ordered if m.id > after][:limit]))
        return list(reversed(ordered[-limit:]))

    def ours(self, channel_id: int) -> list[Message]:
        return [m for m in self.messages.get(channel_id, []) if m.author_id == BOT_USER_ID]


class FakeChannel:
    """An AlertChannel (bot/alerts/channels.py) over the fake: history pages as discord.py's `after` strategy."""

    def __init__(self, fake: FakeDiscord, channel_id: int) -> None:
        self._fake, self.id = fake, channel_id

    def missing_permissions(self) -> list[str]:
        return []

    def can_read_history(self) -> bool:
        return True

    async def send(self, message: AlertMessage, *, nonce: str) -> int:
        posted = self._fake.post(
            self.id,
            author_id=BOT_USER_ID,
            content=message.content,
            embeds=[message.embed.to_dict()],
            nonce=nonce,
            allowed_mentions=message.allowed_mentions.to_dict(),
        )
        return posted.id

    async def ours_since(self, since: dt.datetime) -> AsyncIterator[OurMessage]:
        cursor = discord.utils.time_snowflake(since)
        while True:  # pages of 100 from the oldest after the cursor, as discord.py pages `after=`, oldest first
            page = self._fake.history(self.id, limit=100, after=cursor)
            if not page:
                return
            cursor = page[0].id
            for message in reversed(page):
                if message.author_id == BOT_USER_ID:
                    footers = tuple(text for e in message.embeds if (text := e.get("footer", {}).get("text")))
                    yield OurMessage(message.id, footers)
            if len(page) < 100:
                return


class FakeChannels:
    """AlertChannels over the fake: every channel exists until the fake refuses it."""

    def __init__(self, fake: FakeDiscord) -> None:
        self._fake = fake

    async def find(self, channel_id: int) -> AlertChannel:
        return FakeChannel(self._fake, channel_id)


DARLINGTON_START = dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC)
FIRST_GUILD = 20_000_000_000_000_000


def channel_of(guild_id: int) -> int:
    return guild_id + 1


async def subscribe(
    store: Store,
    guild_ids: list[int],
    *,
    leads: list[int],
    kinds: list[str] | None = None,
    role_id: int | None = None,
    at: dt.datetime = DARLINGTON_START - dt.timedelta(days=2),
) -> None:
    for guild_id in guild_ids:
        await store.alerts.save_subscription(
            guild_id=guild_id,
            series="cup",
            channel_id=channel_of(guild_id),
            role_id=role_id,
            leads=[Lead(m) for m in leads],
            kinds=kinds or ["reminder"],  # type: ignore[list-item]
            now=at,
        )


async def darlington_id(store: Store) -> int:
    view = await store.schedule.next_races(series="cup", now=dt.datetime(2024, 5, 7, tzinfo=dt.UTC))
    race = view.races[0]
    assert race.start_utc == DARLINGTON_START
    return race.id


def reminder_key(race_id: int, guild_id: int, lead: int) -> str:
    return delivery_key("reminder", race_id, DARLINGTON_START, guild_id, channel_of(guild_id), Lead(lead))


def service(store: Store, fake: FakeDiscord, *, guilds: set[int] | None = None) -> AlertService:
    """The real service, through the same typed seams as the bot's, with no pacing of its own (the fake
    counts requests; pacing is not under test). `guilds`: this process's servers (None: all of them)."""
    return AlertService(
        stores=AlertStores.of(store),
        channels=FakeChannels(fake),
        clock=fake.clock,
        is_ours=(lambda _guild: True) if guilds is None else guilds.__contains__,
        pace=Unlimited(),
    )
