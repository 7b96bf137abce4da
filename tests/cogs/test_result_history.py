"""/result on a race known only from the history table: shown with its season, never an invented date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.importers.history import import_history, read_history_bytes
from tests.conftest import World

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "sample.csv"


async def import_sample(world: World) -> None:
    races, _ = read_history_bytes(SAMPLE.read_bytes(), source="sample.csv")
    await import_history(world.bot.store.db, races, now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    world.bot.store.data_changed()


async def test_history_race_result_shows_winner_and_season_only(world: World) -> None:
    await import_sample(world)
    result = await world.fan.slash(world.channel, "result", track="rockingham", season=1998)
    embed = result.response.embeds[0]
    text = f"{embed.title}\n{embed.description}"
    assert "Martin Truex Jr." in text
    assert "January" not in text and "Jan 1" not in text
