"""Memoised reads see every race-data change, by this connection or another, and survive guild-side writes."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from db.connection import data_transaction, data_version, open_database, transaction
from db.memo import ChangeMemo


async def read_count(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT count(*) FROM sources") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def test_a_value_is_reused_until_the_data_changes(conn: aiosqlite.Connection) -> None:
    memo: ChangeMemo[int] = ChangeMemo(conn)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return await read_count(conn)

    first = await memo.get("sources", compute)
    assert await memo.get("sources", compute) == first
    assert calls == 1

    async with data_transaction(conn):
        await conn.execute("INSERT INTO sources (key, title) VALUES ('new', 'New')")
    assert await memo.get("sources", compute) == first + 1
    assert calls == 2


async def test_a_data_commit_by_another_connection_empties_the_memo(conn: aiosqlite.Connection, db_path: Path) -> None:
    memo: ChangeMemo[int] = ChangeMemo(conn)
    before = await memo.get("sources", lambda: read_count(conn))

    async with open_database(db_path) as other, data_transaction(other):
        await other.execute("INSERT INTO sources (key, title) VALUES ('elsewhere', 'From another process')")

    assert await memo.get("sources", lambda: read_count(conn)) == before + 1


async def test_guild_side_writes_keep_the_memo(conn: aiosqlite.Connection) -> None:
    memo: ChangeMemo[int] = ChangeMemo(conn)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return await read_count(conn)

    await memo.get("sources", compute)
    version = await data_version(conn)
    async with transaction(conn):
        await conn.execute(
            "INSERT INTO trivia_settings (guild_id, time_limit_s) VALUES (1, 30)"
            " ON CONFLICT(guild_id) DO UPDATE SET time_limit_s = 30"
        )
    await memo.get("sources", compute)
    assert calls == 1
    assert await data_version(conn) == version


async def test_a_data_transaction_that_changes_nothing_keeps_the_version(conn: aiosqlite.Connection) -> None:
    version = await data_version(conn)
    async with data_transaction(conn):
        await conn.execute("UPDATE sources SET title = title WHERE key = 'no such key'")
    assert await data_version(conn) == version
