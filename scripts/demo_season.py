"""A made-up 2030 Cup season for the README's standings picture: no real driver, race or standing in it.

The bot only shows standings NASCAR's points feed published, and the repository keeps no real feed data,
so the picture needs a season of its own, cited as what it is: every row written here has the source
`demo` ("made up for the README pictures"). The schedule (12 points races, "Demo …" at real tracks, one a
week from 2030-02-17) is loaded as a dataset file, as `photofinish data load` would; the standings after
each of the first 10 races are parsed and stored by the same functions the points sync uses. The drivers
are the hand-written test fixtures' (tests/fixtures/points/final_2030_cup_after2.json); who finishes
where comes from a seeded random generator, so every run writes the same season.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from db.importers.feed.points import parse_final_points
from db.importers.loader import load_bundled, load_dataset_file
from db.importers.resolve import ensure_source
from db.repos.standings import write_snapshot
from db.storage.backend import open_db

ROOT = Path(__file__).resolve().parents[1]
DRIVERS = ROOT / "tests" / "fixtures" / "points" / "final_2030_cup_after2.json"
DEMO = ("demo", "Made-up season for the README pictures (scripts/demo_season.py)", None, "Photo Finish")
SEASON = 2030
RACES = 12
RUN = 10  # races with standings; the last two are still to come
TRACKS = (
    "daytona", "atlanta", "cota", "phoenix", "las-vegas", "homestead",
    "martinsville", "darlington", "bristol", "talladega", "texas", "dover",
)  # fmt: skip
NAMES = ("Demo 500", "Demo 400", "Demo Road Course 250", "Demo 312", "Demo 400")
FETCHED = dt.datetime(SEASON, 4, 22, 12, 0, tzinfo=dt.UTC)  # the day after race 10


def schedule() -> dict[str, Any]:
    """The season in our dataset format, every race cited to the demo source."""
    first = dt.datetime(SEASON, 2, 17, 14, 30)  # Eastern wall clock, as the dataset takes it
    races = [
        {
            "season": SEASON,
            "race_number": number,
            "name": NAMES[(number - 1) % len(NAMES)],
            "track": TRACKS[number - 1],
            "start_et": (first + dt.timedelta(weeks=number - 1)).isoformat(),
            "tv": "Demo TV",
            "status": "official" if number <= RUN else "scheduled",
            "source": DEMO[0],
        }
        for number in range(1, RACES + 1)
    ]
    return {"sources": [{"key": DEMO[0], "title": DEMO[1], "publisher": DEMO[3]}], "races": races}


def standings_after(races: int, drivers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The feed's final-points rows after `races` races: 55 for a win, then 35, 34, … down the field."""
    rng = random.Random(SEASON)
    skill = {d["driver_id"]: 18 - i for i, d in enumerate(drivers)}
    totals = {d["driver_id"]: {"points": 0, "wins": 0, "top_5": 0, "top_10": 0} for d in drivers}
    for _ in range(races):
        order = sorted(drivers, key=lambda d: -(skill[d["driver_id"]] + rng.uniform(0, 14)))
        for finish, driver in enumerate(order, start=1):
            line = totals[driver["driver_id"]]
            line["points"] += 55 if finish == 1 else max(36 - finish, 1)
            line["wins"] += finish == 1
            line["top_5"] += finish <= 5
            line["top_10"] += finish <= 10
    ranked = sorted(drivers, key=lambda d: -totals[d["driver_id"]]["points"])
    return [
        {
            "position": position,
            "driver_id": driver["driver_id"],
            "driver_name": driver["driver_name"],
            "car_no": driver["car_no"],
            "starts": races,
            "playoff_rank": 0,
            **totals[driver["driver_id"]],
        }
        for position, driver in enumerate(ranked, start=1)
    ]


async def write_demo_season(path: Path) -> None:
    drivers = [d for d in json.loads(DRIVERS.read_text(encoding="utf-8")) if d.get("starts")]
    async with open_db(path) as db:
        await load_bundled(db)
        with tempfile.TemporaryDirectory() as folder:
            dataset = Path(folder) / "demo-2030.json"
            dataset.write_text(json.dumps(schedule()), encoding="utf-8")
            await load_dataset_file(db, dataset)
        for after in range(1, RUN + 1):
            points = parse_final_points(standings_after(after, drivers))
            assert points is not None
            async with db.data_transaction():
                await ensure_source(db, DEMO)
                await write_snapshot(
                    db,
                    series="cup",
                    season=SEASON,
                    after_race=after,
                    official=True,
                    source=DEMO[0],
                    url="scripts/demo_season.py",
                    fetched_at=FETCHED,
                    entries=points.entries,
                )


if __name__ == "__main__":
    asyncio.run(write_demo_season(Path(sys.argv[1])))
