"""Discord Scheduled Events kept by the bot: which series a server wants, and a ledger row per race and server.

The ledger is what makes the sync safe: one row per (guild, race) is claimed before the create
request, so a race never gets two events; a row marked deleted_by_admin is never recreated; a row
still 'creating' after a crash is looked up in the guild before anything is created again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from db.models import RaceSummary, Series
from db.models.events import EventState, EventSubscription, GuildEvent
from db.repos.rows import RACE_SUMMARY_SQL, parse_utc, race_summary_from, to_utc_text
from db.storage.database import Database, Row


def _event_from(row: Row) -> GuildEvent:
    return GuildEvent(
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        event_id=row["event_id"],
        state=row["state"],
        name=row["name"],
        start_utc=parse_utc(row["start_utc"]) or dt.datetime.min.replace(tzinfo=dt.UTC),
        fingerprint=row["fingerprint"],
        detail=row["detail"],
        updated_at=parse_utc(row["updated_at"]) or dt.datetime.min.replace(tzinfo=dt.UTC),
    )


class EventStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, *, guild_id: int, series: Series, now: dt.datetime) -> None:
        """Keep events for this series (again: a disabled subscription is enabled by setting it up anew)."""
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO event_subscriptions (guild_id, series, created_at, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(guild_id, series)
                   DO UPDATE SET disabled_reason = NULL, updated_at = excluded.updated_at""",
                (guild_id, series, to_utc_text(now), to_utc_text(now)),
            )

    async def unsubscribe(self, *, guild_id: int, series: Series | None = None) -> list[Series]:
        """Stop keeping events (one series or all); returns the series that were set up."""
        async with self._db.transaction():
            rows = await self._db.fetch(
                "SELECT series FROM event_subscriptions WHERE guild_id = ? AND (CAST(? AS TEXT) IS NULL OR series = ?)",
                (guild_id, series, series),
            )
            removed: list[Series] = [r[0] for r in rows]
            await self._db.execute(
                "DELETE FROM event_subscriptions WHERE guild_id = ? AND (CAST(? AS TEXT) IS NULL OR series = ?)",
                (guild_id, series, series),
            )
        return removed

    async def subscriptions(self, *, guild_id: int | None = None) -> list[EventSubscription]:
        rows = await self._db.fetch(
            """SELECT guild_id, series, disabled_reason, created_at FROM event_subscriptions
               WHERE CAST(? AS BIGINT) IS NULL OR guild_id = ? ORDER BY guild_id, series""",
            (guild_id, guild_id),
        )
        return [
            EventSubscription(
                guild_id=r[0],
                series=r[1],
                disabled_reason=r[2],
                created_at=parse_utc(r[3]) or dt.datetime.min.replace(tzinfo=dt.UTC),
            )
            for r in rows
        ]

    async def disable(self, *, guild_id: int, reason: str, now: dt.datetime) -> None:
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE event_subscriptions SET disabled_reason = ?, updated_at = ? WHERE guild_id = ?",
                (reason, to_utc_text(now), guild_id),
            )

    async def guild_events(self, *, guild_id: int) -> list[GuildEvent]:
        rows = await self._db.fetch(
            "SELECT * FROM guild_events WHERE guild_id = ? ORDER BY start_utc, race_id", (guild_id,)
        )
        return [_event_from(r) for r in rows]

    async def event_by_id(self, *, event_id: int) -> GuildEvent | None:
        row = await self._db.fetch_one("SELECT * FROM guild_events WHERE event_id = ?", (event_id,))
        return _event_from(row) if row else None

    async def claim(
        self, *, guild_id: int, race_id: int, name: str, start_utc: dt.datetime, fingerprint: str, now: dt.datetime
    ) -> bool:
        """Claim the race's one event for this guild before creating it; False when the row exists already.

        A 'failed' row may be claimed again (the data changed since Discord refused it).
        """
        values = (guild_id, race_id, name, to_utc_text(start_utc), fingerprint, to_utc_text(now))
        async with self._db.transaction():
            changed = await self._db.execute(
                """INSERT INTO guild_events (guild_id, race_id, state, name, start_utc, fingerprint, updated_at)
                   VALUES (?, ?, 'creating', ?, ?, ?, ?)
                   ON CONFLICT(guild_id, race_id) DO UPDATE SET state = 'creating', name = excluded.name,
                       start_utc = excluded.start_utc, fingerprint = excluded.fingerprint, detail = NULL,
                       updated_at = excluded.updated_at
                   WHERE guild_events.state = 'failed'""",
                values,
            )
            return changed == 1

    async def mark_active(
        self,
        *,
        guild_id: int,
        race_id: int,
        event_id: int,
        name: str,
        start_utc: dt.datetime,
        fingerprint: str,
        now: dt.datetime,
    ) -> None:
        async with self._db.transaction():
            await self._db.execute(
                """UPDATE guild_events SET event_id = ?, state = 'active', name = ?, start_utc = ?, fingerprint = ?,
                       detail = NULL, updated_at = ? WHERE guild_id = ? AND race_id = ?""",
                (event_id, name, to_utc_text(start_utc), fingerprint, to_utc_text(now), guild_id, race_id),
            )

    async def set_state(
        self, *, guild_id: int, race_id: int, state: EventState, detail: str | None, now: dt.datetime
    ) -> None:
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE guild_events SET state = ?, detail = ?, updated_at = ? WHERE guild_id = ? AND race_id = ?",
                (state, detail, to_utc_text(now), guild_id, race_id),
            )

    async def forget_claim(self, *, guild_id: int, race_id: int) -> None:
        """Drop a claim whose create did not happen (Discord busy or the guild full), so it is tried again."""
        async with self._db.transaction():
            await self._db.execute(
                "DELETE FROM guild_events WHERE guild_id = ? AND race_id = ? AND state = 'creating'",
                (guild_id, race_id),
            )

    async def races(self, *, race_ids: Iterable[int]) -> dict[int, RaceSummary]:
        """The races behind ledger rows, by id (a race missing from the result is gone from the store)."""
        ids = sorted(set(race_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self._db.fetch(RACE_SUMMARY_SQL + f" WHERE r.id IN ({marks})", ids)
        return {row["id"]: race_summary_from(row) for row in rows}
