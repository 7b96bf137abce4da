"""What the alert sender needs of a channel, and the Discord implementation of it.

The sender (bot/alerts/sender.py) posts through `AlertChannels`: the bot gives it `DiscordChannels`
(discord.py's cache, then one fetch), the fault tests and benchmarks a fake over their own stand-in for
Discord. Refusals are discord.py's on either side: a post Discord will not take raises discord.Forbidden,
discord.NotFound or discord.HTTPException.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

import discord

from bot.embeds.alerts import AlertMessage

# The channel kinds a bot can post an embed in.
PostableChannel = discord.TextChannel | discord.VoiceChannel | discord.StageChannel | discord.Thread


class ChannelUnavailable(Exception):
    """The channel is gone or hidden from the bot; the reason is shown in /alerts status."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OurMessage:
    """A message the bot posted, as much as the stale-claim check reads of it."""

    id: int
    footers: tuple[str, ...]


class AlertChannel(Protocol):
    def missing_permissions(self) -> list[str]:
        """What the bot lacks to post an alert embed here (empty when it may)."""
        ...

    def can_read_history(self) -> bool: ...

    async def send(self, message: AlertMessage, *, nonce: str) -> int:
        """Post with Discord's nonce enforced; the new message's id."""
        ...

    def ours_since(self, since: dt.datetime) -> AsyncIterator[OurMessage]:
        """The bot's own messages posted after `since`, oldest first, however many the channel holds."""
        ...


class AlertChannels(Protocol):
    async def find(self, channel_id: int) -> AlertChannel:
        """The channel, or ChannelUnavailable saying why not."""
        ...


def missing_permissions(channel: object) -> list[str]:
    """What the bot lacks to post an alert embed in a Discord channel (checked before every post)."""
    if not isinstance(channel, PostableChannel):
        return ["a text channel"]
    perms = channel.permissions_for(channel.guild.me)
    needed = {
        "View Channel": perms.view_channel,
        "Send Messages": perms.send_messages,
        "Embed Links": perms.embed_links,
    }
    return [name for name, ok in needed.items() if not ok]


class DiscordChannel:
    def __init__(self, channel: object, me: int) -> None:
        self._channel, self._me = channel, me

    def missing_permissions(self) -> list[str]:
        return missing_permissions(self._channel)

    def can_read_history(self) -> bool:
        channel = self._channel
        return isinstance(channel, PostableChannel) and channel.permissions_for(channel.guild.me).read_message_history

    async def send(self, message: AlertMessage, *, nonce: str) -> int:
        assert isinstance(self._channel, PostableChannel), "checked by missing_permissions first"
        # discord.py sends enforce_nonce with every nonce (tests/cogs/test_alert_payload.py holds it to that).
        sent = await self._channel.send(
            content=message.content, embed=message.embed, allowed_mentions=message.allowed_mentions, nonce=nonce
        )
        return sent.id

    async def ours_since(self, since: dt.datetime) -> AsyncIterator[OurMessage]:
        if not isinstance(self._channel, PostableChannel):
            return
        after = discord.Object(id=discord.utils.time_snowflake(since))
        async for message in self._channel.history(limit=None, after=after, oldest_first=True):
            if message.author.id == self._me:
                yield OurMessage(message.id, tuple(e.footer.text for e in message.embeds if e.footer.text))


class DiscordChannels:
    """Channels through a logged-in client: its cache first, then one REST fetch."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def find(self, channel_id: int) -> AlertChannel:
        me = self._client.user
        assert me is not None, "alerts run only once the bot is logged in"
        channel: object = self._client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self._client.fetch_channel(channel_id)
            except discord.NotFound:
                raise ChannelUnavailable("the channel no longer exists (404)") from None
            except discord.Forbidden:
                raise ChannelUnavailable("the bot can no longer see the channel (403)") from None
        return DiscordChannel(channel, me.id)
