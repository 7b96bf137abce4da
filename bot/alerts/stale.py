"""Claims left 'claimed' because the bot stopped between claim and mark: the stale-claim policy.

A claim names its holder (bot/alerts/owner.py): a claim whose holder still runs (another process on this
database) is never touched; a dead holder's claim is taken over at once, atomically; a holder on another
host is alive while its liveness lease is current (bot/cluster.py), and where it kept no lease counts as
gone once its claim is older than STALE_AFTER. Then:
1. If the post is in the channel (our message whose footer carries the delivery's reference, found by
   paging the channel's history from the claim's time, however busy the channel), mark it sent with
   its message id — the crash came after Discord accepted it.
2. Otherwise, if it is no longer useful (a reminder past the catch-up rule, a notice for a race that has
   started or moved, a result older than a day), record it as missed.
3. Otherwise, if we cannot read the channel history and the claim is older than NONCE_WINDOW, record it
   as failed with "outcome unknown" rather than risk a second post.
4. Otherwise post it again with the same nonce (Discord drops a duplicate inside its dedup window).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

from bot.alerts.batches import RESULTS_USEFUL_FOR
from bot.alerts.fanout import MessageBuilder
from bot.alerts.owner import owner_alive, process_of
from bot.alerts.planner import ON_TIME_SLACK, PlannedDelivery, catch_up, delivery_key
from bot.alerts.sender import AlertSender
from db.models import RaceSummary
from db.repos.alert_pages import AlertPageStore
from db.repos.alerts import AlertStore, Delivery

STALE_AFTER = dt.timedelta(minutes=2)  # a claim this old with no task sending it was left by a crash
NONCE_WINDOW = dt.timedelta(minutes=2)  # how long we trust Discord's nonce dedup (undocumented; conservative)

RaceLookup = Callable[[int], Awaitable["RaceSummary | None"]]


class StaleClaims:
    def __init__(
        self,
        *,
        alerts: AlertStore,
        pages: AlertPageStore,
        sender: AlertSender,
        is_ours: Callable[[int], bool],
        race: RaceLookup,
        message: MessageBuilder,
    ) -> None:
        self._alerts, self._pages, self._sender = alerts, pages, sender
        self._is_ours, self._race, self._message = is_ours, race, message

    async def resolve(
        self,
        before: dt.datetime,
        races: Sequence[RaceSummary],
        now: dt.datetime,
        liveness: dict[str, bool] | None = None,
    ) -> None:
        """`liveness`: processes with a liveness lease and whether it is current (bot/cluster.py)."""
        by_id = {r.id: r for r in races}
        for claim in await self._alerts.claims_before(before=before):
            if claim.key in self._sender.in_flight or not self._is_ours(claim.guild_id):
                continue
            # Our own claim with no task on it was given up after retries: resolve it. A live holder in
            # another process is still posting its claim; on another host its liveness lease tells, and
            # where it kept none (or we keep none) only a claim older than STALE_AFTER counts as abandoned.
            alive = owner_alive(claim.owner)
            if alive is None and liveness is not None and claim.owner:
                alive = liveness.get(process_of(claim.owner))
            mine = claim.owner == self._sender.owner
            if not mine and (alive or (alive is None and now - claim.claimed_at < STALE_AFTER)):
                continue
            race = by_id.get(claim.race_id) or await self._race(claim.race_id)
            await self._resolve_claim(claim, race, now)

    async def _resolve_claim(self, claim: Delivery, race: RaceSummary | None, now: dt.datetime) -> None:
        posted = await self._sender.find_posted(claim)
        if posted is not None:
            await self._alerts.mark_sent(
                key=claim.key, message_id=posted, late=False, now=now, detail="found in the channel after a restart"
            )
            return
        sub = (
            await self._pages.active_subscription(
                guild_id=claim.guild_id, series=race.series, channel_id=claim.channel_id
            )
            if race
            else None
        )
        if race is None or sub is None or not _still_useful(claim, race, now):
            await self._alerts.mark_missed(
                key=claim.key, detail="the bot stopped while posting; too late to post now", now=now
            )
            return
        if now - claim.claimed_at > NONCE_WINDOW and not await self._sender.can_read_history(claim.channel_id):
            await self._alerts.mark_failed(
                key=claim.key,
                detail="outcome unknown: the bot stopped while posting and cannot check the channel",
                now=now,
            )
            return
        delivery = PlannedDelivery(
            key=claim.key,
            kind=claim.kind,
            race=race,
            guild_id=claim.guild_id,
            channel_id=claim.channel_id,
            role_id=sub.role_id,
            series=race.series,
            lead=claim.lead,
            fire_at=claim.fire_at,
        )
        if not await self._alerts.adopt_claim(key=claim.key, previous=claim.owner, owner=self._sender.owner):
            return  # another process took it over first
        late = now - claim.fire_at > ON_TIME_SLACK
        message = await self._message(delivery, sub.role_id, "offline" if late else None)
        await self._sender.send_claimed(
            claim.key, claim.guild_id, claim.channel_id, message, late=late, configured_at=sub.updated_at
        )


def _still_useful(claim: Delivery, race: RaceSummary, now: dt.datetime) -> bool:
    """The catch-up rule applied to a claim left behind; a race that moved since makes it obsolete."""
    if claim.kind == "results":
        return now - claim.fire_at < RESULTS_USEFUL_FOR
    if race.start_utc is None or claim.key != delivery_key(
        claim.kind, race.id, race.start_utc, claim.guild_id, claim.channel_id, claim.lead
    ):
        return False
    if claim.kind == "changes":
        return now < race.start_utc
    if claim.lead is None:
        return False  # a reminder claim always has its lead; a row without one is not ours to repost
    return catch_up(fire_at=claim.fire_at, race_start=race.start_utc, lead=claim.lead, now=now) in ("on_time", "late")
