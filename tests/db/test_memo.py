"""Memoised reads see every change: this connection's writes and another connection's commits."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from db.connection import open_database, transaction
from db.memo import ChangeMemo


async def read_count(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT count(*) FROM sources") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def test_a_value_is_reused_until_something_changes(conn: aiosqlite.Connection) -> None:
    memo: ChangeMemo[int] = ChangeMemo(conn)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return await read_count(conn)

    first = await memo.get("sources", compute)
    assert await memo.get("sources", compute) == first
    assert calls == 1

    async with transaction(conn):
        await conn.execute("INSERT INTO sources (key, title) VALUES ('new', 'New')")
    assert await memo.get("sources", compute) == first + 1
    assert calls == 2


async def test_a_commit_by_another_connection_empties_the_memo(conn: aiosqlite.Connection, db_path: Path) -> None:
    memo: ChangeMemo[int] = ChangeMemo(conn)
    before = await memo.get("sources", lambda: read_count(conn))

    async with open_database(db_path) as other, transaction(other):
        await other.execute("INSERT INTO sources (key, title) VALUES ('elsewhere', 'From another process')")

    assert await memo.get("sources", lambda: read_count(conn)) == before + 1
