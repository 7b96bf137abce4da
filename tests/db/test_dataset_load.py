"""`data load`: a bad file names the file and the field, and leaves the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.importers.dataset import DatasetError
from db.importers.loader import load_dataset_file
from db.storage.sqlite import SqliteDatabase

GOOD_RACE = """
races:
  - season: 2025
    race_number: 12
    name: AdventHealth 400
    track: kansas
    date: 2025-05-11
    status: official
    source: nascaR.data
    results:
      - {pos: 1, car: "5", driver: Kyle Larson}
      - {pos: 2, car: "00", driver: Test Driver}
"""


async def snapshot(db: SqliteDatabase) -> dict[str, int]:
    counts = {}
    for table in ("races", "results", "drivers", "tracks", "quotes", "sources", "data_loads"):
        row = await db.fetch_one(f"SELECT count(*) FROM {table}")
        counts[table] = row[0] if row else 0
    return counts


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_good_file_loads_once_and_keeps_car_numbers_as_text(db: SqliteDatabase, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RACE)
    assert await load_dataset_file(db, path) is True
    assert await load_dataset_file(db, path) is False
    assert await db.fetch_one("SELECT car_number FROM results WHERE finish = 2 AND car_number = '00'") is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD_RACE.replace("season: 2025", "season: twenty"), "races.0.season"),
        (GOOD_RACE.replace("track: kansas", "track: atlantis"), "races[0].track: unknown track 'atlantis'"),
        (GOOD_RACE.replace("pos: 2,", "pos: 1,"), "duplicate finishing positions: [1]"),
        (GOOD_RACE.replace('car: "00"', "car: 0"), "car number must be quoted text"),
        (GOOD_RACE.replace("source: nascaR.data", "source: nowhere"), "unknown source 'nowhere'"),
        ("races: [\n  - season: 2025\n   name: : broken", "not valid YAML at line"),
        ("- just a list", "top level must be a mapping"),
        (GOOD_RACE.replace("name: AdventHealth 400", "name: AdventHealth 400\n    colour: red"), "colour"),
    ],
    ids=[
        "wrong-type",
        "unknown-track",
        "duplicate-position",
        "numeric-car",
        "unknown-source",
        "malformed-yaml",
        "not-a-mapping",
        "unknown-field",
    ],
)
async def test_a_bad_file_names_file_and_field_and_changes_nothing(
    db: SqliteDatabase, tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    before = await snapshot(db)

    with pytest.raises(DatasetError) as raised:
        await load_dataset_file(db, path)

    assert str(path) in str(raised.value)
    assert expected in str(raised.value)
    assert await snapshot(db) == before


async def test_a_reference_error_late_in_the_file_rolls_back_the_earlier_rows(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    text = (
        GOOD_RACE
        + """
quotes:
  - text: "Words."
    speaker: Kyle Larson
    race: {season: 1999, race_number: 99}
    source: W
"""
    )
    before = await snapshot(db)
    with pytest.raises(DatasetError, match=r"quotes\[0\]\.race: no such race"):
        await load_dataset_file(db, write(tmp_path, text))
    assert await snapshot(db) == before


async def test_a_json_dataset_loads_too(db: SqliteDatabase, tmp_path: Path) -> None:
    path = write(tmp_path, '{"drivers": [{"name": "Json Driver", "aliases": ["JD"]}]}', "extra.json")
    assert await load_dataset_file(db, path) is True


async def test_a_changed_official_result_is_marked_corrected(db: SqliteDatabase, tmp_path: Path) -> None:
    await load_dataset_file(db, write(tmp_path, GOOD_RACE))
    swapped = GOOD_RACE.replace("Kyle Larson", "Someone Else")
    await load_dataset_file(db, write(tmp_path, swapped))
    row = await db.fetch_one("SELECT corrected FROM races WHERE season = 2025 AND race_number = 12")
    assert row is not None and row[0] == 1
