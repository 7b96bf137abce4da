"""What the alert planner last saw of each race (its start and status), and the start changes it saw.

The watch is shared by every process on the database, so it only says "seen". A moved start is kept
as its own row (alert_race_change), written in the same transaction as the watch that consumes it, and
every process plans its servers' notices from those rows: the first process to notice a move must not
use it up for the others' servers (issue 17).

Kept apart from db/repos/alerts.py (subscriptions and the ledger) so each file stays readable; AlertStore
inherits these, so callers still use `store.alerts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from db.models.alerts import RaceWatch, StartChange
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

    async def save_race_watch(
        self, *, seen: Iterable[RaceWatch], now: dt.datetime, changes: Iterable[StartChange] = ()
    ) -> None:
        """Record what was seen, and the start changes found in it, together (the first sighting is kept)."""
        rows = [
            (w.race_id, to_utc_text(w.start_utc) if w.start_utc else None, w.status, to_utc_text(now)) for w in seen
        ]
        moved = [
            (c.race_id, to_utc_text(c.start_utc), to_utc_text(c.previous_start), to_utc_text(c.seen_at))
            for c in changes
        ]
        if not rows and not moved:
            return
        async with self._db.transaction():
            if moved:
                await self._db.execute_many(
                    """INSERT INTO alert_race_change (race_id, start_utc, previous_start, seen_at)
                       VALUES (?, ?, ?, ?) ON CONFLICT (race_id, start_utc) DO NOTHING""",
                    moved,
                )
            if rows:
                await self._db.execute_many(
                    """INSERT INTO alert_race_watch (race_id, start_utc, status, seen_at) VALUES (?, ?, ?, ?)
                       ON CONFLICT (race_id) DO UPDATE SET start_utc = excluded.start_utc,
                           status = excluded.status, seen_at = excluded.seen_at""",
                    rows,
                )

    async def start_changes(self, *, race_ids: Iterable[int]) -> dict[int, list[StartChange]]:
        """Every recorded start change of these races, oldest sighting first."""
        ids = sorted(set(race_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self._db.fetch(
            f"""SELECT race_id, start_utc, previous_start, seen_at FROM alert_race_change
                WHERE race_id IN ({marks}) ORDER BY race_id, seen_at, start_utc""",
            ids,
        )
        out: dict[int, list[StartChange]] = {}
        for row in rows:
            start, previous, seen = parse_utc(row[1]), parse_utc(row[2]), parse_utc(row[3])
            assert start is not None and previous is not None and seen is not None, "NOT NULL columns"
            out.setdefault(int(row[0]), []).append(
                StartChange(race_id=int(row[0]), start_utc=start, previous_start=previous, seen_at=seen)
            )
        return out
