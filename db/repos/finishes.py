"""Notable (closest) finishes as the sources rank them."""

from __future__ import annotations

from db.models import NotableFinish
from db.repos.citations import fetch_sources, in_order
from db.repos.rows import NOTABLE_FINISH_SQL, json_list, notable_finish_from
from db.storage.database import Database


class FinishStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def closest_finishes(
        self, *, limit: int = 10, track_id: int | None = None, driver_id: int | None = None
    ) -> list[NotableFinish]:
        """Closest first: by margin, then the sources' rank (unranked last); a driver as winner or runner-up."""
        where: list[str] = []
        params: list[object] = []
        if track_id is not None:
            where.append("n.track_id = ?")
            params.append(track_id)
        if driver_id is not None:
            where.append("(n.winner_id = ? OR n.runner_up_id = ?)")
            params += [driver_id, driver_id]
        sql = NOTABLE_FINISH_SQL + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY n.margin_s, n.rank IS NULL, n.rank, n.season, n.id LIMIT ?"
        params.append(max(1, min(limit, 100)))
        rows = await self._db.fetch(sql, params)
        sources = await fetch_sources(self._db, (str(k) for row in rows for k in json_list(row["sources"])))
        return [
            notable_finish_from(row, in_order((str(k) for k in json_list(row["sources"])), sources)) for row in rows
        ]
