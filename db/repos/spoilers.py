"""Spoiler-safe results per server: hide results behind spoiler tags, and delay results alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from db.models import Model
from db.repos.rows import to_utc_text
from db.storage.database import Database

MAX_DELAY_H = 72


class SpoilerSettings(Model):
    guild_id: int
    hide_results: bool = False
    results_delay_h: int = 0


class SpoilerStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_settings(self, *, guild_id: int) -> SpoilerSettings:
        """The server's settings; a server that never set them shows results and posts alerts at once."""
        row = await self._db.fetch_one(
            "SELECT hide_results, results_delay_h FROM spoiler_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return SpoilerSettings(guild_id=guild_id)
        return SpoilerSettings(guild_id=guild_id, hide_results=bool(row[0]), results_delay_h=row[1])

    async def settings_for(self, *, guild_ids: Iterable[int]) -> dict[int, SpoilerSettings]:
        """Settings of many servers at once (a page of a results fan-out); absent servers get the defaults."""
        ids = sorted(set(guild_ids))
        found = {guild_id: SpoilerSettings(guild_id=guild_id) for guild_id in ids}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            rows = await self._db.fetch(
                f"SELECT guild_id, hide_results, results_delay_h FROM spoiler_settings WHERE guild_id IN ({marks})",
                chunk,
            )
            for row in rows:
                found[row[0]] = SpoilerSettings(guild_id=row[0], hide_results=bool(row[1]), results_delay_h=row[2])
        return found

    async def results_delays(self) -> set[int]:
        """Every results delay in use (0 always: servers without settings post at once)."""
        rows = await self._db.fetch("SELECT DISTINCT results_delay_h FROM spoiler_settings")
        return {0} | {int(row[0]) for row in rows}

    async def update_settings(
        self, *, guild_id: int, hide_results: bool | None = None, results_delay_h: int | None = None, now: dt.datetime
    ) -> SpoilerSettings:
        """Change the given settings only; the rest keep their values."""
        if results_delay_h is not None and not 0 <= results_delay_h <= MAX_DELAY_H:
            raise ValueError(f"results_delay_h must be 0–{MAX_DELAY_H}")
        async with self._db.transaction():
            await self._db.execute(
                """INSERT INTO spoiler_settings (guild_id, hide_results, results_delay_h, updated_at)
                   VALUES (?, coalesce(?, 0), coalesce(?, 0), ?)
                   ON CONFLICT(guild_id) DO UPDATE SET
                       hide_results = coalesce(?, spoiler_settings.hide_results),
                       results_delay_h = coalesce(?, spoiler_settings.results_delay_h),
                       updated_at = excluded.updated_at""",
                (
                    guild_id,
                    None if hide_results is None else int(hide_results),
                    results_delay_h,
                    to_utc_text(now),
                    None if hide_results is None else int(hide_results),
                    results_delay_h,
                ),
            )
        return await self.get_settings(guild_id=guild_id)
