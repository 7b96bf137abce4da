"""Trivia's candidate pools: how many facts of each kind the store holds and where to find the n-th one.

Loaded in a few queries per data version and kept in memory (db/repos/trivia_facts.py), so starting a game reads
no table in full: races holding a figure are counted per season at write time (season_summary, with
db.importers.summaries.FIGURE_FILTER); the n-th such race is found by walking those counts to its season and
reading that one season's ids. The curated tables (closest finishes, quotes, sources) are small: their
ids and rows are held whole.
"""

from __future__ import annotations

from db.models.trivia import FIGURE_COLUMN, RaceFigure, SeasonCounts, TriviaPools
from db.repos.rows import SOURCES_SQL, source_from
from db.storage.database import Database


async def _column(db: Database, sql: str) -> list[object]:
    return [row[0] for row in await db.fetch(sql)]


async def load_pools(db: Database) -> TriviaPools:
    """Everything the pools hold, read from the per-season summary and the small curated tables."""
    counts: dict[RaceFigure, list[tuple[str, int, int]]] = {figure: [] for figure in FIGURE_COLUMN}
    columns = ", ".join(FIGURE_COLUMN.values())
    seasons = await db.fetch(
        f"""SELECT series, season, {columns} FROM season_summary
            WHERE {" + ".join(FIGURE_COLUMN.values())} > 0 ORDER BY series, season""",
    )
    for row in seasons:
        for figure, column in FIGURE_COLUMN.items():
            if row[column]:
                counts[figure].append((str(row["series"]), int(row["season"]), int(row[column])))
    races: dict[RaceFigure, SeasonCounts] = {}
    for figure, found in counts.items():
        before, total = [], 0
        for _series, _season, count in found:
            before.append(total)
            total += count
        races[figure] = SeasonCounts(tuple((s, y) for s, y, _ in found), tuple(before), total)
    latest = await _column(db, "SELECT max(season) FROM season_summary WHERE winners > 0")
    closest = await _column(
        db, f"SELECT id FROM notable_finishes WHERE {db.dialect.json_length('sources')} > 0 ORDER BY id"
    )
    quotes = await _column(
        db, "SELECT q.id FROM quotes q JOIN drivers d ON d.id = q.speaker_id WHERE q.source <> '' ORDER BY q.id"
    )
    won = await db.fetch(
        """SELECT d.name, sum(s.wins_on_record) FROM driver_series_stats s JOIN drivers d ON d.id = s.driver_id
           WHERE s.wins_on_record > 0 GROUP BY d.name""",
    )
    wins = {str(r[0]): int(r[1]) for r in won}
    sources = {row["source_key"]: source_from(row) for row in await db.fetch(SOURCES_SQL)}
    return TriviaPools(
        latest_season=int(str(latest[0])) if latest and latest[0] is not None else None,
        closest_ids=tuple(int(str(i)) for i in closest),
        quote_ids=tuple(int(str(i)) for i in quotes),
        races=races,
        wins=wins,
        sources=sources,
    )
