"""`photofinish data sync`: schedule, results and then the official points standings, on a fake feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.data_commands import sync_command
from bot.settings import Settings
from db.repos.standings import StandingsStore
from db.storage.backend import open_db
from tests.db.fake_feed import BASE, FakeFeed, synthetic_feed
from tests.db.points_fixtures import POINTS, final_url


@pytest.fixture
def feed_settings(db_path: Path) -> Settings:
    return Settings(_env_file=None, database_path=str(db_path), discord_token=None, feed_base_url=BASE)  # type: ignore[call-arg]


def points_feed() -> FakeFeed:
    feed = synthetic_feed()
    feed.routes[final_url(2030, 1)] = POINTS / "final_2030_cup_after2.json"
    return feed


async def test_sync_stores_the_seasons_official_standings_and_says_what_was_missing(
    feed_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = points_feed()

    assert await sync_command(feed_settings, 2030, None, fetch=feed) == 0

    out = capsys.readouterr().out.splitlines()
    assert "standings stored: 2030 cup after race 2 (official)" in out
    assert "not available: 2030 xfinity points" in out and "not available: 2030 truck points" in out
    async with open_db(feed_settings.database_path) as db:
        snapshot = await StandingsStore(db).standings(series="cup", season=2030)
    assert snapshot is not None and snapshot.official and snapshot.rows[0].driver == "Alex Apex"
    # The points come after the schedule, so the standings know the race they stand after.
    assert snapshot.race is not None and snapshot.race.name == "Synthetic 400"


async def test_a_second_sync_of_the_same_points_changes_nothing(
    feed_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    await sync_command(feed_settings, 2030, None, fetch=points_feed())
    capsys.readouterr()

    await sync_command(feed_settings, 2030, None, fetch=points_feed())

    out = capsys.readouterr().out.splitlines()
    assert "standings unchanged: 2030 cup after race 2 (official)" in out
    assert not any(line.startswith("standings stored") for line in out)


async def test_one_series_asks_for_that_series_points_only(
    feed_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = points_feed()

    await sync_command(feed_settings, 2030, "cup", fetch=feed)

    points_requests = [url for url in feed.requests if url.endswith("-drivers-points.json")]
    assert points_requests == [final_url(2030, 1)]
    assert "not available: 2030 xfinity points" not in capsys.readouterr().out
