"""Notable (closest) finishes as the sources rank them."""

from __future__ import annotations

from typing import Any

import aiosqlite

from db.citations import fetch_sources, in_order
from db.models import NotableFinish, Source
from db.rows import json_list

_FINISH_SQL = """
SELECT n.id, n.rank, n.tied, n.margin_s, w.name AS winner, ru.name AS runner_up, t.name AS track,
       n.series, n.season, n.race_name, n.date_text, n.points_race, n.note, n.sources
FROM notable_finishes n
JOIN drivers w ON w.id = n.winner_id
LEFT JOIN drivers ru ON ru.id = n.runner_up_id
JOIN tracks t ON t.id = n.track_id
"""


class SqliteFinishes:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

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
        sql = _FINISH_SQL + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY n.margin_s, n.rank IS NULL, n.rank, n.season, n.id LIMIT ?"
        params.append(max(1, min(limit, 100)))
        async with self._conn.execute(sql, params) as cursor:
            rows = await cursor.fetchall()
        sources = await fetch_sources(self._conn, (str(k) for row in rows for k in json_list(row["sources"])))
        return [self._finish_from(row, sources) for row in rows]

    def _finish_from(self, row: Any, sources: dict[str, Source]) -> NotableFinish:
        keys = [str(k) for k in json_list(row["sources"])]
        return NotableFinish(
            id=row["id"],
            rank=row["rank"],
            tied=bool(row["tied"]),
            margin_s=row["margin_s"],
            winner=row["winner"],
            runner_up=row["runner_up"],
            track=row["track"],
            series=row["series"],
            season=row["season"],
            race_name=row["race_name"],
            date_text=row["date_text"],
            points_race=bool(row["points_race"]),
            note=row["note"],
            sources=in_order(keys, sources),
        )
