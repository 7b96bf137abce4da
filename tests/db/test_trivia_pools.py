"""Trivia's pools: every race holding a figure is reachable by exactly one index, none that does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.importers.history import import_history, read_history_bytes
from db.importers.summaries import FIGURE_FILTER
from db.models.trivia import SeasonCounts
from db.repos.trivia_facts import TriviaFactStore
from db.storage.sqlite import SqliteDatabase

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "history"


def test_the_nth_race_is_found_season_by_season() -> None:
    counts = SeasonCounts(seasons=(("cup", 1998), ("cup", 2024), ("xfinity", 2024)), before=(0, 2, 3), total=7)

    assert [counts.locate(i) for i in (0, 1, 2, 3, 6)] == [
        ("cup", 1998, 0),
        ("cup", 1998, 1),
        ("cup", 2024, 0),
        ("xfinity", 2024, 0),
        ("xfinity", 2024, 3),
    ]
    assert counts.locate(7) is None and counts.locate(-1) is None and SeasonCounts().locate(0) is None


async def test_every_race_holding_a_figure_has_one_index(db: SqliteDatabase) -> None:
    for name, series in (("sample.csv", "cup"), ("fan_questions.csv", "cup"), ("xfinity_series.csv", "xfinity")):
        races, digest = read_history_bytes((HISTORY / name).read_bytes(), source=name)
        await import_history(db, races, series=series, now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), digest=digest)  # type: ignore[arg-type]
    facts = TriviaFactStore(db)
    pools = await facts.pools()
    for figure, where in FIGURE_FILTER.items():
        holding = sorted(row[0] for row in await db.fetch(f"SELECT r.id FROM races r WHERE {where}"))
        found = [
            fact.race_id
            for i in range(pools.count_races(figure))
            if (fact := await facts.race_at(figure=figure, index=i))
        ]  # type: ignore[arg-type]
        assert sorted(found) == holding, figure
        assert await facts.race_at(figure=figure, index=len(holding)) is None  # type: ignore[arg-type]
