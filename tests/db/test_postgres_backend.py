"""The PostgreSQL side of the port: placeholders, transactions that hold one connection, neutral errors."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import pytest

from db.storage.backend import open_db
from db.storage.database import DatabaseBusy, fetch_value
from db.storage.postgres import numbered
from tests.pg_support import fresh_schema, require_postgres


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ?, ?", "SELECT $1, $2"),
        ("SELECT ?1, ?2, ?1", "SELECT $1, $2, $1"),
        ("SELECT ?2, ?", "SELECT $2, $3"),  # as SQLite counts: one more than the largest so far
        ("SELECT '?', \"a?\", ? -- why?\n", "SELECT '?', \"a?\", $1 -- why?\n"),
        ("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || $1"),
        ("SELECT /* ? */ ?", "SELECT /* ? */ $1"),
    ],
)
def test_placeholders_are_numbered_outside_quotes_and_comments(sql: str, expected: str) -> None:
    assert numbered(sql) == expected


async def test_a_transaction_runs_every_statement_on_its_connection_and_nests() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as db:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
                async with db.transaction():  # joins the outer one
                    await db.execute("INSERT INTO bot_state (key, value) VALUES ('b', '2')")
                assert await fetch_value(db, "SELECT count(*) FROM bot_state") == 2  # sees its own writes
                raise RuntimeError("undo both")
        assert await fetch_value(db, "SELECT count(*) FROM bot_state") == 0
        async with db.transaction():
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('c', '3')")
        assert await fetch_value(db, "SELECT value FROM bot_state WHERE key = 'c'") == "3"


async def test_only_a_data_write_that_changed_a_row_moves_the_data_version() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as db:
        start = await db.data_version()
        async with db.data_transaction():
            await db.execute("UPDATE sources SET title = 'x' WHERE key = 'none'")
        assert await db.data_version() == start
        async with db.data_transaction():
            await db.execute("INSERT INTO sources (key, title) VALUES ('k', 'K')")
        assert await db.data_version() == start + 1
        async with db.transaction():  # guild-side writes leave it alone
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
        assert await db.data_version() == start + 1


async def test_a_row_held_past_the_lock_timeout_is_database_busy() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as db:
        await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
        holder = await asyncpg.connect(url, server_settings={"search_path": schema})
        try:
            async with holder.transaction():
                await holder.execute("UPDATE bot_state SET value = '2' WHERE key = 'a'")
                with pytest.raises(DatabaseBusy):
                    async with db.transaction():
                        await db.execute("UPDATE bot_state SET value = '3' WHERE key = 'a'")
        finally:
            await holder.close()
        assert await fetch_value(db, "SELECT value FROM bot_state WHERE key = 'a'") == "2"


async def test_statements_outside_a_transaction_run_side_by_side() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema, pool_size=4) as db:
        started = time.perf_counter()
        await asyncio.gather(*(db.execute("SELECT pg_sleep(0.3)") for _ in range(4)))
        assert time.perf_counter() - started < 1.0  # four pooled connections, not one after another (1.2 s)


async def test_tasks_started_inside_a_transaction_take_turns_on_its_connection() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as db:
        async with db.transaction():
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
            seen = await asyncio.gather(*(fetch_value(db, "SELECT count(*) FROM bot_state") for _ in range(5)))
            assert seen == [1] * 5  # the uncommitted row, on the transaction's connection, one after another
            ended = asyncio.Event()

            async def after_the_commit() -> object:
                await ended.wait()
                return await fetch_value(db, "SELECT count(*) FROM bot_state")

            late = asyncio.create_task(after_the_commit())
        ended.set()
        assert await late == 1  # outlived the transaction: a pooled connection, not the released one
