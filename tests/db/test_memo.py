"""Memoised reads see every race-data change, by this connection or another, and survive guild-side writes."""

from __future__ import annotations

from pathlib import Path

from db.repos.memo import ChangeMemo
from db.storage.sqlite import SqliteDatabase
from tests.pg_support import another_connection


async def read_count(db: SqliteDatabase) -> int:
    row = await db.fetch_one("SELECT count(*) FROM sources")
    return int(row[0]) if row else 0


async def test_a_value_is_reused_until_the_data_changes(db: SqliteDatabase) -> None:
    memo: ChangeMemo[int] = ChangeMemo(db)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return await read_count(db)

    first = await memo.get("sources", compute)
    assert await memo.get("sources", compute) == first
    assert calls == 1

    async with db.data_transaction():
        await db.execute("INSERT INTO sources (key, title) VALUES ('new', 'New')")
    assert await memo.get("sources", compute) == first + 1
    assert calls == 2


async def test_a_data_commit_by_another_connection_empties_the_memo(db: SqliteDatabase, db_path: Path) -> None:
    memo: ChangeMemo[int] = ChangeMemo(db)
    before = await memo.get("sources", lambda: read_count(db))

    async with another_connection(db, db_path) as other, other.data_transaction():
        await other.execute("INSERT INTO sources (key, title) VALUES ('elsewhere', 'From another process')")

    assert await memo.get("sources", lambda: read_count(db)) == before + 1


async def test_guild_side_writes_keep_the_memo(db: SqliteDatabase) -> None:
    memo: ChangeMemo[int] = ChangeMemo(db)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return await read_count(db)

    await memo.get("sources", compute)
    version = await db.data_version()
    async with db.transaction():
        await db.execute(
            "INSERT INTO trivia_settings (guild_id, time_limit_s) VALUES (1, 30)"
            " ON CONFLICT(guild_id) DO UPDATE SET time_limit_s = 30"
        )
    await memo.get("sources", compute)
    assert calls == 1
    assert await db.data_version() == version


async def test_a_data_transaction_that_changes_nothing_keeps_the_version(db: SqliteDatabase) -> None:
    version = await db.data_version()
    async with db.data_transaction():
        await db.execute("UPDATE sources SET title = title WHERE key = 'no such key'")
    assert await db.data_version() == version
