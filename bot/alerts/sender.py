"""The sender: claim in the ledger, check permissions, pace, post with a nonce, mark the outcome.

Order matters for "never twice": the ledger claim (INSERT … ON CONFLICT DO NOTHING) comes before the
post, so a key is posted by at most one task; the nonce derived from the key makes Discord drop a
re-send inside its dedup window; the footer carries a short reference so a claim left behind by a
crash can be checked against the channel before anything is re-sent (see resolve_stale).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Literal, TypeVar

import discord

from bot.alerts.channels import AlertChannels, ChannelUnavailable
from bot.alerts.limiter import Limiter
from bot.alerts.planner import PlannedDelivery, delivery_nonce
from bot.alerts.retry import retry_locked
from bot.embeds.alerts import AlertMessage, ref_footer
from db.repos.alerts import AlertStore, Delivery, DeliveryState

log = logging.getLogger(__name__)

T = TypeVar("T")

Outcome = Literal["sent", "duplicate", "failed", "disabled", "unknown"]
RETRIES = 3  # our own retries of a 429/5xx, on top of discord.py's, before leaving the claim to the policy
RETRY_BASE_S = 2.0
# History is read from a little before the claim: claimed_at is stored to the second, and the clocks of
# Discord and this host may differ slightly.
CLAIM_SKEW = dt.timedelta(seconds=30)


class AlertSender:
    def __init__(
        self,
        channels: AlertChannels,
        alerts: AlertStore,
        limiter: Limiter,
        clock: Callable[[], dt.datetime],
        *,
        owner: str,
    ) -> None:
        self._channels = channels
        self._alerts = alerts
        self.owner = owner
        self._limiter = limiter
        self._clock = clock
        self.in_flight: set[str] = set()
        # Channels that answered 403/404 here, and when: no second request to them, even from a post
        # already queued when the first refusal came, until the subscription is set up again.
        self.refused: dict[int, dt.datetime] = {}
        self._turns: dict[int, _Turn] = {}

    async def claim(self, delivery: PlannedDelivery) -> bool:
        """Claim the key; False when the ledger already has it (sent, failed, missed or being sent).

        A claimed key counts as in flight from here, so the stale-claim check never takes over a post
        still queued behind the limiter in this process."""
        claimed = await self._record(delivery, state="claimed")
        if claimed:
            self.in_flight.add(delivery.key)
        return claimed

    async def record_missed(self, delivery: PlannedDelivery, reason: str) -> bool:
        return await self._record(delivery, state="missed", detail=reason)

    async def _record(self, delivery: PlannedDelivery, *, state: DeliveryState, detail: str | None = None) -> bool:
        """One ledger row for the key, once: claimed now (to send) or already settled (missed)."""
        return await self._ledger(
            lambda: self._alerts.claim_delivery(
                key=delivery.key,
                kind=delivery.kind,
                race_id=delivery.race.id,
                guild_id=delivery.guild_id,
                channel_id=delivery.channel_id,
                fire_at=delivery.fire_at,
                lead=delivery.lead,
                now=self._clock(),
                state=state,
                detail=detail,
                owner=self.owner,
            ),
            "claiming",
        )

    async def _ledger(self, write: Callable[[], Awaitable[T]], what: str) -> T:
        """A ledger write, retried within seconds while another process holds the database lock."""
        return await retry_locked(write, what=f"{what} an alert")

    async def send_claimed(
        self,
        key: str,
        guild_id: int,
        channel_id: int,
        message: AlertMessage,
        *,
        late: bool,
        configured_at: dt.datetime | None = None,
    ) -> Outcome:
        """Post a delivery this process holds the claim for, and record how it went.

        `configured_at` is when the subscription was last set up: a channel that refused us after that
        gets no further request (set up again after fixing it, and it is tried again)."""
        self.in_flight.add(key)
        # Posts to one channel take turns (two batches can be due together): the second sees the first's
        # 403/404 before it makes a request of its own.
        turn = self._turns.setdefault(channel_id, _Turn())
        turn.waiting += 1
        try:
            async with turn.lock:
                refused_at = self.refused.get(channel_id)
                if refused_at is not None and (configured_at is None or configured_at <= refused_at):
                    detail = "the channel refused an earlier alert; not tried again"
                    await self._ledger(
                        partial(self._alerts.mark_failed, key=key, detail=detail, now=self._clock()), "failing"
                    )
                    return "disabled"
                return await self._send(key, guild_id, channel_id, message, late=late)
        finally:
            turn.waiting -= 1
            if not turn.waiting:
                self._turns.pop(channel_id, None)
            self.in_flight.discard(key)

    async def _send(self, key: str, guild_id: int, channel_id: int, message: AlertMessage, *, late: bool) -> Outcome:
        try:
            channel = await self._channels.find(channel_id)
        except ChannelUnavailable as gone:
            return await self._disable(key, guild_id, channel_id, gone.reason)
        missing = channel.missing_permissions()
        if missing:
            return await self._disable(key, guild_id, channel_id, f"missing permission: {', '.join(missing)}")
        nonce = delivery_nonce(key)
        for attempt in range(RETRIES + 1):
            await self._limiter.acquire()
            try:
                message_id = await channel.send(message, nonce=nonce)
            except discord.Forbidden as error:
                return await self._disable(
                    key, guild_id, channel_id, f"Discord refused to post here (403, code {error.code})"
                )
            except discord.NotFound as error:
                return await self._disable(
                    key, guild_id, channel_id, f"the channel no longer exists (404, code {error.code})"
                )
            except discord.HTTPException as error:
                if error.status == 429 or error.status >= 500:
                    if attempt < RETRIES:
                        await asyncio.sleep(RETRY_BASE_S * 2**attempt)
                        continue
                    # The post may or may not have gone out: keep the claim for the stale-claim policy.
                    noted = f"Discord error {error.status}; will check and retry"
                    await self._ledger(partial(self._alerts.note_attempt, key=key, detail=noted), "noting")
                    log.warning(
                        "Alert %s: Discord kept failing (%s); left for the stale-claim check", key, error.status
                    )
                    return "unknown"
                detail = f"Discord rejected the post ({error.status})"
                await self._ledger(
                    partial(self._alerts.mark_failed, key=key, detail=detail, now=self._clock()), "failing"
                )
                return "failed"
            await self._ledger(
                partial(self._alerts.mark_sent, key=key, message_id=message_id, late=late, now=self._clock()), "marking"
            )
            return "sent"
        raise AssertionError("unreachable")

    async def _disable(self, key: str, guild_id: int, channel_id: int, reason: str) -> Outcome:
        now = self._clock()
        self.refused[channel_id] = now
        await self._ledger(lambda: self._alerts.mark_failed(key=key, detail=reason, now=now), "failing")
        disabled = await self._ledger(
            lambda: self._alerts.disable_channel(guild_id=guild_id, channel_id=channel_id, reason=reason, now=now),
            "disabling",
        )
        if disabled:
            log.info("Alerts for guild %s channel %s disabled: %s", guild_id, channel_id, reason)
        return "disabled"

    async def find_posted(self, delivery: Delivery) -> int | None:
        """The id of our post for this delivery if it reached the channel; None if not, or unreadable.

        However busy the channel: the history is paged oldest first from just before the claim (a
        snowflake made from claimed_at) until the post is found or the newest message is read."""
        try:
            channel = await self._channels.find(delivery.channel_id)
        except ChannelUnavailable:
            return None
        if not channel.can_read_history():
            return None
        marker = ref_footer(delivery_nonce(delivery.key))
        try:
            async for message in channel.ours_since(delivery.claimed_at - CLAIM_SKEW):
                if any(marker in footer for footer in message.footers):
                    return message.id
        except discord.HTTPException:
            return None
        return None

    async def can_read_history(self, channel_id: int) -> bool:
        try:
            return (await self._channels.find(channel_id)).can_read_history()
        except ChannelUnavailable:
            return False


class _Turn:
    """One channel's queue of posts: a lock, and how many wait on it (dropped when none do)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.waiting = 0
