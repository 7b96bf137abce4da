"""The reads a paged fan-out needs: subscriptions a page at a time, ledger keys of one page, official times.

Kept apart from db/repos/alerts.py (subscriptions and ledger writes) so each file stays readable; AlertStore
inherits these, so callers still use `store.alerts`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from db.models import Series
from db.models.alerts import AlertSubscription, Lead, subscription_from
from db.repos.rows import parse_utc, to_utc_text
from db.storage.database import Database

PAGE_SIZE = 500


class AlertPageStore:
    _db: Database

    async def subscription_page(
        self, *, series: Series, after_guild_id: int | None, limit: int = PAGE_SIZE
    ) -> list[AlertSubscription]:
        """Enabled subscriptions of a series with a guild id above `after_guild_id`, in guild-id order."""
        return [
            subscription_from(row)
            for row in await self._db.fetch(
                f"""SELECT * FROM alert_subscriptions{self._db.dialect.indexed_by("alert_subscriptions_page")}
               WHERE series = ? AND disabled_reason IS NULL AND guild_id > ?
               ORDER BY guild_id LIMIT ?""",
                (series, after_guild_id if after_guild_id is not None else -(2**63), limit),
            )
        ]

    async def active_subscription(self, *, guild_id: int, series: str, channel_id: int) -> AlertSubscription | None:
        """The subscription as it is now, if it still posts to that channel and is not disabled."""
        row = await self._db.fetch_one(
            """SELECT * FROM alert_subscriptions
               WHERE guild_id = ? AND series = ? AND channel_id = ? AND disabled_reason IS NULL""",
            (guild_id, series, channel_id),
        )
        return subscription_from(row) if row else None

    async def subscribed_leads(self) -> dict[str, set[Lead]]:
        """Every lead time some enabled subscription wants, per series (one reminder job per race and lead)."""
        rows = await self._db.fetch(
            """SELECT DISTINCT series, leads_min FROM alert_subscriptions
               WHERE disabled_reason IS NULL AND kinds LIKE '%"reminder"%'"""
        )
        leads: dict[str, set[Lead]] = {}
        for series, chosen in rows:  # the lists are read here: JSON in SQL differs per dialect
            leads.setdefault(series, set()).update(Lead(int(minutes)) for minutes in json.loads(chosen))
        return leads

    async def existing_keys(self, *, keys: Iterable[str]) -> set[str]:
        """Which of these delivery keys the ledger already has (in any state)."""
        wanted = list(keys)
        found: set[str] = set()
        # SQLite allows 32,766 parameters; a page is far below that, but stay safe for any caller.
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0] for row in await self._db.fetch(f"SELECT key FROM deliveries WHERE key IN ({marks})", chunk)
            )
        return found

    async def mark_official(self, *, race_id: int, at: dt.datetime) -> dt.datetime:
        """Record when the race was first seen official (the first time is kept); returns the stored time."""
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO alert_race_official (race_id, official_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (race_id, to_utc_text(at)),
            )
        row = await self._db.fetch_one("SELECT official_at FROM alert_race_official WHERE race_id = ?", (race_id,))
        stored = parse_utc(row[0]) if row else None
        return stored or at

    async def official_since(self, *, since: dt.datetime) -> dict[int, dt.datetime]:
        """Races seen turning official at or after `since`, with that time (results alerts still to do)."""
        rows = await self._db.fetch(
            "SELECT race_id, official_at FROM alert_race_official WHERE official_at >= ?", (to_utc_text(since),)
        )
        return {int(row[0]): at for row in rows if (at := parse_utc(row[1])) is not None}
