"""What the alert planner last saw of each race: its start and status, to notice moves and results.

Kept apart from db/repos/alerts.py (subscriptions and the ledger) so each file stays readable; AlertStore
inherits these, so callers still use `store.alerts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from db.models.alerts import RaceWatch
from db.repos.rows import parse_utc, to_utc_text
from db.storage.database import Database


class AlertWatchStore:
    _db: Database

    async def race_watch(self, *, race_ids: Iterable[int]) -> dict[int, RaceWatch]:
        ids = sorted(set(race_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self._db.fetch(
            f"SELECT race_id, start_utc, status FROM alert_race_watch WHERE race_id IN ({marks})", ids
        )
        return {
            row["race_id"]: RaceWatch(
                race_id=row["race_id"], start_utc=parse_utc(row["start_utc"]), status=row["status"]
            )
            for row in rows
        }

    async def save_race_watch(self, *, seen: Iterable[RaceWatch], now: dt.datetime) -> None:
        rows = [
            (w.race_id, to_utc_text(w.start_utc) if w.start_utc else None, w.status, to_utc_text(now)) for w in seen
        ]
        if not rows:
            return
        async with self._db.transaction():
            await self._db.execute_many(
                """INSERT INTO alert_race_watch (race_id, start_utc, status, seen_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (race_id) DO UPDATE SET start_utc = excluded.start_utc, status = excluded.status,
                       seen_at = excluded.seen_at""",
                rows,
            )
