"""The SQLite implementation of the storage port (db/storage/database.py), over one aiosqlite connection."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import aiosqlite

from db.storage import connection
from db.storage.database import DatabaseBusy, Params, Row
from db.storage.dialect import SQLITE, Dialect


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


@asynccontextmanager
async def _neutral_errors() -> AsyncIterator[None]:
    try:
        yield
    except sqlite3.OperationalError as error:
        if _is_busy(error):
            raise DatabaseBusy() from error
        raise


class SqliteDatabase:
    """Every call is one hop to aiosqlite's thread (`execute_fetchall`, not execute + fetch + close)."""

    dialect: Dialect = SQLITE

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn  # for db/ only: the pieces not yet written against the port

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with _neutral_errors(), self.conn.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with _neutral_errors():
            await self.conn.executemany(sql, [tuple(r) for r in rows])

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        async with _neutral_errors():
            return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch(sql, params)
        return rows[0] if rows else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        async with _neutral_errors(), connection.transaction(self.conn):
            yield

    @asynccontextmanager
    async def data_transaction(self) -> AsyncIterator[None]:
        async with _neutral_errors(), connection.data_transaction(self.conn):
            yield

    async def data_version(self) -> int:
        async with _neutral_errors():
            return await connection.data_version(self.conn)
