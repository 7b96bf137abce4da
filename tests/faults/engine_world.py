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

from bot.alerts.limiter import Unlimited
from bot.alerts.planner import delivery_key
from bot.alerts.service import AlertService
from db.models.alerts import Lead
from db.store import Store

BOT_USER_ID = 900_000_000_000_000_001
MEMBER_ID = 900_000_000_000_000_777
NONCE_TTL = dt.timedelta(minutes=2)
PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True, read_message_history=True)
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
    """The part of discord.TextChannel the sender uses; history pages like discord.py's after strategy."""

    def __init__(self, fake: FakeDiscord, channel_id: int) -> None:
        self._fake, self.id = fake, channel_id
        self.guild = SimpleNamespace(id=channel_id - 1, me=SimpleNamespace(id=BOT_USER_ID))

    def permissions_for(self, _member: Any) -> discord.Permissions:
        return PERMISSIONS

    async def send(
        self, *, content: str | None, embed: discord.Embed, allowed_mentions: discord.AllowedMentions, nonce: str
    ) -> Any:
        body = [embed.to_dict()]
        message = self._fake.post(
            self.id,
            author_id=BOT_USER_ID,
            content=content,
            embeds=body,
            nonce=nonce,
            allowed_mentions=allowed_mentions.to_dict(),
        )
        return SimpleNamespace(id=message.id)

    async def history(
        self, *, limit: int | None = 100, after: discord.abc.Snowflake | None = None, oldest_first: bool | None = None
    ) -> AsyncIterator[Any]:
        if after is None:  # the newest `limit` messages, newest first (one request, as a plain scan does)
            for message in self._fake.history(self.id, limit=min(100, limit or 100), after=None):
                yield _view(message)
            return
        cursor = after.id
        while limit is None or limit > 0:
            page = self._fake.history(self.id, limit=min(100, limit or 100), after=cursor)
            if not page:
                return
            if limit is not None:
                limit -= len(page)
            cursor = page[0].id
            for message in reversed(page) if oldest_first is not False else page:
                yield _view(message)
            if len(page) < 100:
                return


def _view(message: Message) -> Any:
    return SimpleNamespace(
        id=message.id,
        author=SimpleNamespace(id=message.author_id),
        embeds=[discord.Embed.from_dict(e) for e in message.embeds],
    )


class EngineBot:
    """What AlertService reads from the bot: clock, store, settings, user, guilds and channels."""

    def __init__(self, store: Store, fake: FakeDiscord, *, guilds: set[int] | None = None) -> None:
        self.store, self.fake, self.clock = store, fake, fake.clock
        self.settings = SimpleNamespace(send_rate=50.0)
        self.user = SimpleNamespace(id=BOT_USER_ID)
        self.guilds = guilds  # None: every guild is ours

    def get_guild(self, guild_id: int) -> Any:
        if self.guilds is not None and guild_id not in self.guilds:
            return None
        return SimpleNamespace(id=guild_id, me=SimpleNamespace(id=BOT_USER_ID))

    def get_channel(self, channel_id: int) -> FakeChannel:
        return FakeChannel(self.fake, channel_id)

    async def fetch_channel(self, channel_id: int) -> FakeChannel:
        return self.get_channel(channel_id)


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
    """The real service with no pacing of its own (the fake counts requests; pacing is not under test)."""
    return AlertService(EngineBot(store, fake, guilds=guilds), limiter=Unlimited())
