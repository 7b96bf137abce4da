"""Alert subscriptions, the delivery ledger (claim before send) and what the planner last saw of races."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from db.models import Series
from db.models.alerts import (
    ALERT_KINDS,
    AlertKind,
    AlertSubscription,
    Delivery,
    DeliveryState,
    Lead,
    RaceWatch,
    delivery_from,
    subscription_from,
)
from db.repos.alert_pages import AlertPageStore
from db.repos.alert_watch import AlertWatchStore
from db.repos.rows import to_utc_text
from db.storage.database import Database

__all__ = ["ALERT_KINDS", "AlertKind", "AlertStore", "AlertSubscription", "Delivery", "DeliveryState", "RaceWatch"]


class AlertStore(AlertPageStore, AlertWatchStore):
    def __init__(self, db: Database) -> None:
        self._db = db

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[None]:
        async with self._db.transaction():
            yield

    # Subscriptions -------------------------------------------------------------------------------

    async def save_subscription(
        self,
        *,
        guild_id: int,
        series: Series,
        channel_id: int,
        role_id: int | None,
        leads: Iterable[Lead],
        kinds: Iterable[AlertKind],
        now: dt.datetime,
    ) -> AlertSubscription:
        """Create or replace a guild's alerts for a series; setting up again clears a pause and a disable."""
        stamp = to_utc_text(now)
        async with self._write():
            await self._db.execute(
                """INSERT INTO alert_subscriptions
                       (guild_id, series, channel_id, role_id, leads_min, kinds, paused_until, disabled_reason,
                        created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)
                   ON CONFLICT (guild_id, series) DO UPDATE SET
                       channel_id = excluded.channel_id, role_id = excluded.role_id,
                       leads_min = excluded.leads_min, kinds = excluded.kinds, paused_until = NULL,
                       paused_until_resumed = 0, disabled_reason = NULL, updated_at = excluded.updated_at""",
                (
                    guild_id,
                    series,
                    channel_id,
                    role_id,
                    json.dumps([lead.minutes for lead in sorted(set(leads), reverse=True)]),
                    json.dumps(list(kinds)),
                    stamp,
                    stamp,
                ),
            )
        saved = await self.subscriptions(guild_id=guild_id)
        return next(s for s in saved if s.series == series)

    async def subscriptions(self, *, guild_id: int | None = None) -> list[AlertSubscription]:
        sql = "SELECT * FROM alert_subscriptions"
        params: tuple[int, ...] = ()
        if guild_id is not None:
            sql += " WHERE guild_id = ?"
            params = (guild_id,)
        return [subscription_from(row) for row in await self._db.fetch(sql + " ORDER BY guild_id, series", params)]

    async def set_paused(
        self, *, guild_id: int, until: dt.datetime | None, now: dt.datetime, until_resumed: bool = False
    ) -> int:
        """Pause until a moment, or `until_resumed`; `until=None` without it resumes. How many were changed."""
        async with self._write():
            changed = await self._db.execute(
                """UPDATE alert_subscriptions SET paused_until = ?, paused_until_resumed = ?, updated_at = ?
                   WHERE guild_id = ?""",
                (
                    None if until_resumed or until is None else to_utc_text(until),
                    int(until_resumed),
                    to_utc_text(now),
                    guild_id,
                ),
            )
        return changed

    async def delete_subscriptions(self, *, guild_id: int) -> int:
        async with self._write():
            changed = await self._db.execute("DELETE FROM alert_subscriptions WHERE guild_id = ?", (guild_id,))
        return changed

    async def disable_channel(self, *, guild_id: int, channel_id: int, reason: str, now: dt.datetime) -> int:
        """Disable every subscription posting to a channel Discord refused; the first reason is kept."""
        async with self._write():
            changed = await self._db.execute(
                """UPDATE alert_subscriptions SET disabled_reason = ?, updated_at = ?
                   WHERE guild_id = ? AND channel_id = ? AND disabled_reason IS NULL""",
                (reason, to_utc_text(now), guild_id, channel_id),
            )
        return changed

    # The delivery ledger -------------------------------------------------------------------------

    async def claim_delivery(
        self,
        *,
        key: str,
        kind: AlertKind,
        race_id: int,
        guild_id: int,
        channel_id: int,
        fire_at: dt.datetime,
        lead: Lead | None,
        now: dt.datetime,
        state: DeliveryState = "claimed",
        detail: str | None = None,
        owner: str | None = None,
    ) -> bool:
        """Insert the key once; False when it was already claimed (by us earlier or by another process)."""
        finished = to_utc_text(now) if state != "claimed" else None
        async with self._write():
            changed = await self._db.execute(
                """INSERT INTO deliveries
                       (key, kind, race_id, guild_id, channel_id, state, fire_at, claimed_at, finished_at,
                        lead_min, detail, owner)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (key) DO NOTHING""",
                (
                    key,
                    kind,
                    race_id,
                    guild_id,
                    channel_id,
                    state,
                    to_utc_text(fire_at),
                    to_utc_text(now),
                    finished,
                    lead.minutes if lead is not None else None,
                    detail,
                    owner,
                ),
            )
        return changed == 1

    async def adopt_claim(self, *, key: str, previous: str | None, owner: str) -> bool:
        """Take over a claim whose holder is gone; False when someone else took it over first."""
        async with self._write():
            changed = await self._db.execute(
                "UPDATE deliveries SET owner = ? WHERE key = ? AND state = 'claimed' AND "
                + self._db.dialect.same("owner", "?"),
                (owner, key, previous),
            )
        return changed == 1

    async def mark_sent(
        self, *, key: str, message_id: int, late: bool, now: dt.datetime, detail: str | None = None
    ) -> None:
        await self._finish(key, "sent", now, message_id=message_id, late=late, detail=detail)

    async def mark_failed(self, *, key: str, detail: str, now: dt.datetime) -> None:
        await self._finish(key, "failed", now, detail=detail)

    async def mark_missed(self, *, key: str, detail: str, now: dt.datetime) -> None:
        await self._finish(key, "missed", now, detail=detail)

    async def note_attempt(self, *, key: str, detail: str) -> None:
        """A send whose outcome is unknown (5xx, timeout): the claim stays for the stale-claim policy."""
        async with self._write():
            await self._db.execute(
                "UPDATE deliveries SET attempts = attempts + 1, detail = ? WHERE key = ? AND state = 'claimed'",
                (detail, key),
            )

    async def _finish(
        self,
        key: str,
        state: DeliveryState,
        now: dt.datetime,
        *,
        message_id: int | None = None,
        late: bool = False,
        detail: str | None = None,
    ) -> None:
        async with self._write():
            await self._db.execute(
                """UPDATE deliveries SET state = ?, message_id = ?, late = ?, detail = ?, finished_at = ?,
                       attempts = attempts + 1
                   WHERE key = ? AND state = 'claimed'""",
                (state, message_id, int(late), detail, to_utc_text(now), key),
            )

    async def delivery(self, *, key: str) -> Delivery | None:
        row = await self._db.fetch_one("SELECT * FROM deliveries WHERE key = ?", (key,))
        return delivery_from(row) if row else None

    async def ledger_keys(self, *, since: dt.datetime) -> set[str]:
        """Keys already in the ledger whose fire time is at or after `since` (the planner skips them)."""
        return {
            row[0]
            for row in await self._db.fetch("SELECT key FROM deliveries WHERE fire_at >= ?", (to_utc_text(since),))
        }

    async def claims_before(self, *, before: dt.datetime) -> list[Delivery]:
        """Claims older than `before` that never finished: the bot stopped between claim and mark."""
        return [
            delivery_from(row)
            for row in await self._db.fetch(
                "SELECT * FROM deliveries WHERE state = 'claimed' AND claimed_at < ? ORDER BY claimed_at",
                (to_utc_text(before),),
            )
        ]

    async def recent_deliveries(self, *, guild_id: int, limit: int = 10) -> list[Delivery]:
        return [
            delivery_from(row, row["race_name"])
            for row in await self._db.fetch(
                """SELECT d.*, r.season || ' ' || r.name AS race_name FROM deliveries d
               LEFT JOIN races r ON r.id = d.race_id
               WHERE d.guild_id = ? ORDER BY d.fire_at DESC, d.key LIMIT ?""",
                (guild_id, limit),
            )
        ]
