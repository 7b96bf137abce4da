"""What we know about a race whose full results are not stored: winner, laps, and their sources."""

from __future__ import annotations

from db.models.race_facts import RaceFacts
from db.repos.citations import fetch_sources, figure_keys, in_order
from db.repos.races import RaceStore
from db.storage.database import Database


class RaceFactStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._races = RaceStore(db)

    async def race_facts(self, *, race_id: int) -> RaceFacts | None:
        summary = await self._races.race_summary(race_id=race_id)
        if summary is None:
            return None
        row = await self._db.fetch_one(
            "SELECT actual_laps, actual_miles, field_sources, source FROM races WHERE id = ?", (race_id,)
        )
        assert row is not None
        winner_keys = figure_keys(row["field_sources"], "winner", row["source"])
        laps_keys = figure_keys(row["field_sources"], "actual_laps", row["source"])
        known = await fetch_sources(self._db, [*winner_keys, *laps_keys])
        return RaceFacts(
            race=summary,
            actual_laps=row["actual_laps"],
            actual_miles=row["actual_miles"],
            winner_sources=in_order(winner_keys, known),
            laps_sources=in_order(laps_keys, known),
        )
