"""Official means official: a feed result is provisional only while it can still change, and says which rule applies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.embeds.results import result_embed
from db.importers.feed.sync import FeedSync
from db.importers.loader import load_dataset_file
from db.storage.sqlite import SqliteDatabase
from db.store import Store
from tests.db.fake_feed import BASE, load_fixture, official, synthetic_feed, weekend_url

AFTER_THE_500 = dt.datetime(2030, 2, 17, 12, 0, tzinfo=dt.UTC)

NEXT_RACE_RUN = """
sources:
- key: TEST-NEXT
  title: Test fixture for the race after the Synthetic 500
races:
- season: 2030
  race_number: 2
  name: Synthetic 400
  track: texas
  start_et: 2030-06-09T15:00:00
  status: official
  source: TEST-NEXT
  results:
  - {pos: 1, car: '7', driver: History Winner}
  - {pos: 2, car: '8', driver: History Second}
"""


async def synthetic_500(db: SqliteDatabase) -> int:
    await FeedSync(db, synthetic_feed(), base_url=BASE, clock=lambda: AFTER_THE_500).sync_season(2030, "cup")
    row = await db.fetch_one("SELECT id FROM races WHERE feed_race_id = 9002")
    assert row is not None
    return int(row[0])


async def test_a_feed_result_without_inspection_is_provisional_and_says_until_when(db: SqliteDatabase) -> None:
    race_id = await synthetic_500(db)

    result = await Store(db).races.race_result(race_id=race_id)

    assert result is not None and result.race.status == "provisional"
    assert result.race.official_basis == "pending"
    footer = result_embed(result).footer.text or ""
    assert footer.startswith("Provisional: can change until NASCAR marks inspection complete or the next Cup race")


async def test_once_the_next_race_is_run_the_result_is_official_and_says_why(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    race_id = await synthetic_500(db)
    path = tmp_path / "next.yaml"
    path.write_text(NEXT_RACE_RUN, encoding="utf-8")
    await load_dataset_file(db, path)

    result = await Store(db).races.race_result(race_id=race_id)

    assert result is not None and result.race.status == "provisional"  # the feed's flag, as stored
    assert result.race.official_basis == "next_race" and result.race.is_official
    assert "Official: the next Cup race has been run" in (result_embed(result).footer.text or "")


async def test_a_result_the_feed_marks_inspected_is_official_by_the_feed(db: SqliteDatabase) -> None:
    feed = synthetic_feed()
    feed.routes[weekend_url(9002)] = official(load_fixture("weekend_9002.json"))
    await FeedSync(db, feed, base_url=BASE, clock=lambda: AFTER_THE_500).sync_season(2030, "cup")
    row = await db.fetch_one("SELECT id FROM races WHERE feed_race_id = 9002")
    assert row is not None

    summary = await Store(db).races.race_summary(race_id=int(row[0]))

    assert summary is not None and summary.official_basis == "feed"
