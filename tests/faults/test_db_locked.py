"""Another writer holds the database past the busy timeout: the user still hears back in time, nothing breaks.

The lock is real (a second SQLite connection in BEGIN IMMEDIATE) and so is the wait: SQLite's busy
timeout runs on the wall clock, whatever simcord does with the bot's timers, so time is measured with
time.perf_counter, which simcord leaves alone.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.storage.connection import BUSY_TIMEOUT_MS
from tests.conftest import World

ANSWER_WITHIN_S = 3.0
TRY_AGAIN = "The database is busy right now; please try again in a few seconds."


@pytest.fixture
def other_writer(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A second process-like connection that has begun a write and not finished it."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO bot_state (key, value) VALUES ('lock-holder', 'x')")
    yield conn
    conn.close()


def integrity(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


async def timed(coro: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = await coro
    return result, time.perf_counter() - started


async def test_alerts_setup_while_locked_says_try_again_within_3_s(
    world: World, other_writer: sqlite3.Connection, db_path: Path
) -> None:
    target = world.guild.create_text_channel("race-alerts")

    result, elapsed = await timed(world.admin.slash(world.channel, "alerts setup", channel=target, leads="1h"))

    assert BUSY_TIMEOUT_MS / 1000 <= elapsed < ANSWER_WITHIN_S
    assert result.acknowledged and result.ephemeral
    assert result.response.content == TRY_AGAIN
    other_writer.execute("COMMIT")
    assert await world.bot.store.alerts.subscriptions(guild_id=world.guild.id) == []
    assert integrity(db_path) == ["ok"]


async def test_trivia_settings_while_locked_says_try_again_and_works_once_free(
    world: World, other_writer: sqlite3.Connection, db_path: Path
) -> None:
    result, elapsed = await timed(world.admin.slash(world.channel, "triviaset", questions=7))
    assert elapsed < ANSWER_WITHIN_S and result.response.content == TRY_AGAIN

    other_writer.execute("COMMIT")
    again = await world.admin.slash(world.channel, "triviaset", questions=7)

    assert again.response.content != TRY_AGAIN
    assert (await world.bot.store.trivia.get_settings(guild_id=world.guild.id)).questions_per_game == 7
    assert integrity(db_path) == ["ok"]


async def test_reading_commands_still_answer_while_a_writer_holds_the_lock(
    world: World, other_writer: sqlite3.Connection
) -> None:
    result, elapsed = await timed(world.fan.slash(world.channel, "result", track="kansas"))

    assert elapsed < 1.0  # WAL: readers never wait for the writer
    assert result.response.embeds and "AdventHealth 400" in (result.response.embeds[0].title or "")
