"""An in-process Discord for latency benchmarks: real discord.py parsing and command tree, no network.

The real bot (bot.app.open_bot: real database, cogs, tree) gets INTERACTION_CREATE payloads through
`ConnectionState.parse_interaction_create`, exactly as the gateway hands them over. Only the two
network exits are replaced: the webhook adapter's `request` (interaction responses, after discord.py
has built and JSON-encoded the payload) and `HTTPClient.request` (channel posts of a trivia game).
The time of one interaction runs from feeding the payload to the response reaching the adapter, so
it covers parsing, the tree, our callback, the database and building the response.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord import utils
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.app import open_bot
from bot.settings import Settings

APPLICATION_ID = 800_000_000_000_000_001
GUILD_ID = 800_000_000_000_000_100
CHANNEL_ID = 800_000_000_000_000_101
EVERYONE_PERMS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, use_application_commands=True
)
ALL_PERMS = discord.Permissions.all()
_ids = itertools.count(810_000_000_000_000_000)


def user_payload(user_id: int, name: str = "fan") -> dict[str, Any]:
    return {"id": str(user_id), "username": f"{name}{user_id % 10_000}", "discriminator": "0", "avatar": None}


def message_payload(data: dict[str, Any] | None = None, *, author_id: int = APPLICATION_ID) -> dict[str, Any]:
    data = data or {}
    return {
        "id": str(next(_ids)),
        "channel_id": str(CHANNEL_ID),
        "guild_id": str(GUILD_ID),
        "author": {**user_payload(author_id, "PhotoFinish"), "bot": True},
        "content": data.get("content") or "",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": data.get("embeds") or [],
        "components": data.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }


def guild_payload(guild_id: int = GUILD_ID, channel_id: int = CHANNEL_ID, channels: int = 1) -> dict[str, Any]:
    """A GUILD_CREATE as Discord sends it to a bot with the guilds intent only (no members, no presences)."""
    return {
        "id": str(guild_id),
        "name": f"Bench Server {guild_id % 100_000}",
        "icon": None,
        "owner_id": "1",
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "features": [],
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "member_count": 50,
        "large": False,
        "unavailable": False,
        "roles": [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": str(EVERYONE_PERMS.value),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "channels": [
            {
                "id": str(channel_id + n),
                "type": 0,
                "name": f"channel-{n}",
                "position": n,
                "permission_overwrites": [],
                "guild_id": str(guild_id),
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
            }
            for n in range(channels)
        ],
        "threads": [],
        "members": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


class Responses(AsyncWebhookAdapter):
    """The webhook adapter with its network call replaced: records when each interaction was answered."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.answered: dict[int, asyncio.Future[tuple[float, dict[str, Any]]]] = {}

    def expect(self, interaction_id: int) -> asyncio.Future[tuple[float, dict[str, Any]]]:
        future = asyncio.get_running_loop().create_future()
        self.answered[interaction_id] = future
        return future

    async def request(self, route: Any, session: Any = None, **kwargs: Any) -> Any:
        payload = kwargs.get("payload") or {}
        utils._to_json(payload)  # what the real adapter sends over the wire
        at = time.perf_counter()
        future = self.answered.pop(int(route.webhook_id), None) if route.webhook_id else None
        if future is not None and not future.done():
            future.set_result((at, payload))
        if route.path.endswith("/callback"):
            message = message_payload(payload.get("data"))
            return {
                "interaction": {"id": str(route.webhook_id), "type": 2, "response_message_id": message["id"]},
                "resource": {"type": payload.get("type", 4)},
            }
        return message_payload(payload)


async def fake_rest(route: Any, **kwargs: Any) -> Any:
    """HTTPClient.request without the network: channel posts get a plausible message back."""
    if route.method == "POST" and route.path.endswith("/messages"):
        return message_payload(kwargs.get("json"))
    return None


class Harness:
    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.responses = Responses()
        self._members = itertools.count(820_000_000_000_000_000)

    def _base(self, kind: int, data: dict[str, Any], user_id: int, *, admin: bool) -> dict[str, Any]:
        perms = ALL_PERMS if admin else EVERYONE_PERMS
        return {
            "id": str(next(_ids)),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "token": "bench-token",
            "version": 1,
            "data": data,
            "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID),
            "channel": {"id": str(CHANNEL_ID), "type": 0, "guild_id": str(GUILD_ID), "name": "channel-0"},
            "member": {
                "user": user_payload(user_id),
                "roles": [],
                "joined_at": "2025-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(perms.value),
            },
            "app_permissions": str(ALL_PERMS.value),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 26214400,
        }

    def slash(self, name: str, options: list[dict[str, Any]] | None = None, *, focused: bool = False) -> dict[str, Any]:
        """A chat-input command (type 2) or, with a focused option, its autocomplete (type 4)."""
        parts = name.split()
        opts = options or []
        for sub in reversed(parts[1:]):
            opts = [{"name": sub, "type": 1, "options": opts}]
        command = self.bot.tree.get_command(parts[0])
        data = {"id": str(abs(hash(parts[0])) % 10**18), "name": parts[0], "type": 1, "options": opts}
        assert command is not None, name
        return self._base(4 if focused else 2, data, next(self._members), admin=False)

    def click(self, custom_id: str, message: dict[str, Any]) -> dict[str, Any]:
        payload = self._base(3, {"custom_id": custom_id, "component_type": 2}, next(self._members), admin=False)
        payload["message"] = message
        return payload

    async def feed(self, payload: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        """Feed one payload; return the seconds until its response and the response payload."""
        answered = self.responses.expect(int(payload["id"]))
        token = async_context.set(self.responses)
        try:
            started = time.perf_counter()
            self.bot._connection.parse_interaction_create(payload)
        finally:
            async_context.reset(token)
        at, response = await asyncio.wait_for(answered, 10)
        return at - started, response


@asynccontextmanager
async def harness(settings: Settings) -> AsyncIterator[Harness]:
    """The real bot, its cogs loaded and one guild in cache, behind the fake network."""
    async with open_bot(settings, sync_policy="never") as bot:
        bot.http.request = fake_rest  # type: ignore[method-assign]
        await bot._async_setup_hook()
        await bot.setup_hook()
        state = bot._connection
        me: Any = {**user_payload(APPLICATION_ID, "PhotoFinish"), "bot": True}
        state.user = discord.ClientUser(state=state, data=me)
        state.application_id = APPLICATION_ID
        state._add_guild_from_data(guild_payload())  # type: ignore[arg-type]
        yield Harness(bot)
