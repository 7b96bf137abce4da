"""Over the full Cup history: every figure /driver and /result show agrees with the imported table.

Expected values are computed here from ../shared/data's CSV with the rules the import documents (a
position given to two cars is left out; a start of 0 or blank is unknown; a race whose laps-led column
adds up to at most one lap is unrecorded); skipped when ../shared/data is absent.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.embeds.drivers import driver_embed
from bot.embeds.results import result_embed
from db.importers.history import HistoryReader, import_history
from db.importers.loader import load_bundled
from db.storage.backend import open_db
from db.store import Store
from tests.conftest import SHARED_DATA

CUP = SHARED_DATA / "cup-history" / "cup_series.csv"
pytestmark = pytest.mark.skipif(not CUP.is_file(), reason="../shared/data is not present")

DRIVERS = [
    "Lee Petty", "Herb Thomas", "Buck Baker", "Fireball Roberts", "Richard Petty", "David Pearson",
    "Cale Yarborough", "Bobby Allison", "Darrell Waltrip", "Dale Earnhardt", "Rusty Wallace", "Bill Elliott",
    "Jeff Gordon", "Dale Earnhardt Jr.", "Tony Stewart", "Jimmie Johnson", "Kyle Busch", "Denny Hamlin",
    "Kyle Larson", "Daniel Suarez",
]  # fmt: skip
RACES = [
    (1949, 1), (1951, 9), (1955, 10), (1960, 20), (1964, 35), (1965, 2), (1970, 30), (1975, 10), (1980, 15),
    (1985, 5), (1990, 20), (1993, 17), (1998, 8), (2003, 5), (2007, 18), (2011, 8), (2016, 1), (2019, 20),
    (2024, 12), (2025, 16),
]  # fmt: skip


@dataclass
class Table:
    races: dict[tuple[int, int], list[dict[str, str]]]

    def imported(self, key: tuple[int, int]) -> list[dict[str, str]]:
        """The race's rows as the import keeps them: a finishing position given twice is left out."""
        rows = self.races[key]
        twice = {p for p, n in Counter(r["Finish"] for r in rows).items() if n > 1}
        return sorted((r for r in rows if r["Finish"] not in twice), key=lambda r: int(r["Finish"]))

    def pole(self, key: tuple[int, int]) -> str | None:
        first = [r for r in self.imported(key) if r["Start"] == "1"]
        return first[0]["Driver"] if len(first) == 1 else None

    def led_recorded(self, key: tuple[int, int]) -> bool:
        rows = self.imported(key)
        total = sum(int(r["Led"] or 0) for r in rows)
        return total > 1 or max(int(r["Laps"] or 0) for r in rows) == 1


@pytest.fixture(scope="module")
def table() -> Table:
    races: dict[tuple[int, int], list[dict[str, str]]] = defaultdict(list)
    with CUP.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            races[(int(row["Season"]), int(row["Race"]))].append(row)
    return Table(dict(races))


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("full-history") / "cup.db"

    async def build() -> None:
        async with open_db(path) as db:
            await load_bundled(db)
            with CUP.open("rb") as handle:
                reader = HistoryReader(handle, source=CUP.name, series="cup")
                await import_history(db, reader, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    asyncio.run(build())
    return path


@pytest.fixture
async def store(history_db: Path) -> AsyncIterator[Store]:
    async with open_db(history_db) as db:
        yield Store(db)


def fields(embed) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.name.split(" [")[0]: f.value for f in embed.fields}


def driver_rows(table: Table, name: str) -> Iterator[tuple[tuple[int, int], dict[str, str]]]:
    for key in sorted(table.races):
        for row in table.imported(key):
            if row["Driver"] == name:
                yield key, row


@pytest.mark.parametrize("name", DRIVERS)
async def test_driver_card_agrees_with_the_table(store: Store, table: Table, name: str) -> None:
    rows = list(driver_rows(table, name))
    finishes = [int(r["Finish"]) for _, r in rows]
    poles = sum(table.pole(key) == name for key, _ in rows)
    unknown_poles = sum(
        1
        for key, r in rows
        if (r["Start"] in ("", "0") and not any(x["Start"] == "1" for x in table.imported(key)))
        or (r["Start"] == "1" and table.pole(key) is None)
    )
    led = [(key, r) for key, r in rows if table.led_recorded(key) and r["Led"] != ""]
    laps_led = sum(int(r["Led"]) for _, r in led)
    last_key, last = rows[-1]

    driver = await store.drivers.find_driver(query=name)
    assert driver is not None
    career = await store.careers.driver_career(driver=driver)
    record = career.record("cup")
    assert record is not None
    assert (record.starts, record.wins, record.top5, record.top10) == (
        len(rows), finishes.count(1), sum(f <= 5 for f in finishes), sum(f <= 10 for f in finishes),
    )  # fmt: skip
    assert (record.poles_from_start, record.poles_unknown) == (poles, unknown_poles)
    assert (record.laps_led, record.laps_led_unknown) == (laps_led if led else None, len(rows) - len(led))
    assert record.best_finish is not None and record.best_finish.finish == min(finishes)
    assert record.latest_result is not None
    assert (record.latest_result.season, record.latest_result.race_number) == last_key
    assert (record.latest_result.team, record.latest_result.make) == (last["Team"] or None, last["Make"] or None)

    shown = fields(driver_embed(career, [], None, series="cup"))
    assert (shown["Starts"], shown["Wins"]) == (f"{len(rows):,}", f"{finishes.count(1):,}")
    assert (shown["Top 5"], shown["Top 10"]) == (
        f"{sum(f <= 5 for f in finishes):,}",
        f"{sum(f <= 10 for f in finishes):,}",
    )
    none_known = poles == 0 and unknown_poles == len(rows)
    assert shown["Poles"].startswith("not recorded" if none_known else f"{poles:,} (")
    assert shown["Laps led"].startswith(f"{laps_led:,}" if led else "not recorded")
    assert shown["Team"].startswith(" · ".join(x for x in (last["Team"], last["Make"]) if x) or "not recorded")


@pytest.mark.parametrize("key", RACES, ids=lambda k: f"{k[0]}-R{k[1]}")
async def test_race_card_agrees_with_the_table(store: Store, table: Table, key: tuple[int, int]) -> None:
    rows = table.imported(key)
    found = await store.db.fetch_one(
        "SELECT id FROM races WHERE series = 'cup' AND season = ? AND race_number = ?", key
    )
    assert found is not None
    result = await store.races.race_result(race_id=int(found[0]))
    assert result is not None

    assert [(r.finish, r.driver, r.car_number) for r in result.results] == [
        (int(r["Finish"]), _our_name(r["Driver"]), r["Car"]) for r in rows
    ]
    laps = [int(r["Laps"]) for r in rows if r["Laps"]]
    assert result.actual_laps == (int(rows[0]["Laps"]) if rows[0]["Laps"] and any(laps) else None)
    pole = table.pole(key)
    embed = result_embed(result)
    shown = fields(embed)
    if result.pole is not None and result.pole.basis == "qualifying":
        assert result.pole.driver == _our_name(pole)  # the bundled race's cited pole agrees with the table
    elif pole is None:
        assert shown["Pole"].startswith("not recorded")
    else:
        assert shown["Pole"] == f"**{_our_name(pole)}** (started 1st)"
    top = shown["Top 10"].splitlines()
    for line, row in zip(top, rows[:10], strict=False):
        assert f"**{_our_name(row['Driver'])}**" in line and line.startswith(f"`{int(row['Finish']):>2}`")
    stage_winners = {int(s): r["Driver"] for r in rows for s, col in (("1", "S1"), ("2", "S2")) if r[col] == "1"}
    assert {s.stage: s.driver for s in result.stages if s.position == 1} == {
        stage: _our_name(driver) for stage, driver in stage_winners.items()
    }
    winner, second = _our_name(rows[0]["Driver"]), _our_name(rows[1]["Driver"])
    assert f"🏁 **{winner}**" in (embed.description or "") and second in (embed.description or "")


_SPELLINGS = {"Daniel Suarez": "Daniel Suárez"}  # the bundled data's one canonical spelling


def _our_name(name: str | None) -> str | None:
    return _SPELLINGS.get(name, name) if name else None


async def test_closest_finish_margins_reach_the_race_cards(store: Store) -> None:
    # 2003 Darlington race 5: the table has no margins; the sourced closest-finishes list does.
    row = await store.db.fetch_one("SELECT id FROM races WHERE series = 'cup' AND season = 2003 AND race_number = 5")
    assert row is not None
    result = await store.races.race_result(race_id=int(row[0]))
    assert result is not None and result.closest is not None
    description = result_embed(result).description or ""
    assert "by **0.002 s** over Kurt Busch [W, NBC25]" in description and "No. T2" in description
