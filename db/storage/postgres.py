"""The PostgreSQL implementation of the storage port (db/storage/database.py), over an asyncpg pool.

Statements outside a transaction borrow any pooled connection; inside `transaction()` every statement of the
task (and of tasks it starts) runs on the one connection the transaction holds, found through a context
variable, so repositories never pass a connection around. A transaction opened inside another joins it, as
one unit of work should.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from db.storage.database import DatabaseBusy, DatabaseError, Params, Row, fetch_value
from db.storage.dialect import POSTGRES, Dialect

# SQLSTATEs that mean "another session is in the way; the same work later will do" (SQLite's "busy").
_BUSY_STATES = {
    "55P03",  # lock_not_available (lock_timeout)
    "40P01",  # deadlock_detected
    "40001",  # serialization_failure
    "53300",  # too_many_connections
    "57P03",  # cannot_connect_now (starting up, shutting down)
}
# Race-data writes take turns, as under SQLite's one writer: the summary refresh (db/importers/summaries.py)
# recounts whole seasons through shared work tables, which two interleaved writers would miscount.
DATA_LOCK = 0x5046_0018
LOCK_TIMEOUT = "2s"  # like SQLite's busy timeout (db/storage/connection.py BUSY_TIMEOUT_MS)
ACQUIRE_TIMEOUT_S = 10.0

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    _Conn: TypeAlias = PoolConnectionProxy[asyncpg.Record]
_CHANGES_SQL = """SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_xact_user_tables
                   WHERE schemaname = current_schema()"""
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\?(\d*)", re.DOTALL)


@functools.lru_cache(maxsize=2048)
def numbered(sql: str) -> str:
    """SQLite's `?` and `?N` placeholders as PostgreSQL's `$N`, leaving quoted text and comments alone.

    A bare `?` is one more than the largest number before it, as SQLite counts them.
    """
    highest = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal highest
        text = match.group(0)
        if not text.startswith("?"):
            return text
        number = int(match.group(1)) if match.group(1) else highest + 1
        highest = max(highest, number)
        return f"${number}"

    return _TOKEN.sub(swap, sql)


def _rowcount(status: str) -> int:
    """Rows a command changed, from its status tag ("UPDATE 3", "INSERT 0 1", "DELETE 0")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def is_busy(error: BaseException) -> bool:
    return isinstance(error, asyncpg.PostgresError) and getattr(error, "sqlstate", None) in _BUSY_STATES


@asynccontextmanager
async def _neutral_errors() -> AsyncIterator[None]:
    try:
        yield
    except asyncpg.PostgresError as error:
        if is_busy(error):
            raise DatabaseBusy() from error
        if isinstance(error, asyncpg.PostgresConnectionError):  # the server went away mid-statement
            raise DatabaseError(f"lost the connection to the PostgreSQL server ({error})") from error
        raise
    except TimeoutError as error:  # no pooled connection came free in time: every one is busy
        raise DatabaseBusy() from error
    except OSError as error:
        raise DatabaseError(f"the PostgreSQL server is unreachable ({error})") from error


class _Held:
    """A transaction's connection, as the tasks inside the transaction find it.

    Tasks started inside a transaction inherit the context variable, so they share the connection (and see
    its uncommitted rows, as on SQLite's one connection): they take turns on it, since an asyncpg connection
    runs one statement at a time. One that outlives the transaction finds it closed and uses the pool.
    """

    def __init__(self, conn: _Conn) -> None:
        self.conn = conn
        self.turn = asyncio.Lock()
        self.open = True


class PostgresDatabase:
    """The port over a pool; `search_path` and the lock timeout are the pool's server settings."""

    dialect: Dialect = POSTGRES

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool  # for db/ only: migrations and `db copy`
        self._held: contextvars.ContextVar[_Held | None] = contextvars.ContextVar(
            f"pg_connection_{id(self)}", default=None
        )

    def _in_transaction(self) -> _Held | None:
        held = self._held.get()
        return held if held is not None and held.open else None

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[_Conn]:
        held = self._in_transaction()
        if held is not None:
            async with held.turn:
                yield held.conn
            return
        async with _neutral_errors(), self.pool.acquire(timeout=ACQUIRE_TIMEOUT_S) as conn:
            yield conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._connection() as conn, _neutral_errors():
            return _rowcount(await conn.execute(numbered(sql), *params))

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [tuple(r) for r in rows]
        if not batch:
            return
        async with self._connection() as conn, _neutral_errors():
            await conn.executemany(numbered(sql), batch)

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._connection() as conn, _neutral_errors():
            return [row for row in await conn.fetch(numbered(sql), *params)]

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._connection() as conn, _neutral_errors():
            row: Row | None = await conn.fetchrow(numbered(sql), *params)
            return row

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._in_transaction() is not None:
            yield  # joins the transaction this task is already in
            return
        async with _neutral_errors(), self.pool.acquire(timeout=ACQUIRE_TIMEOUT_S) as conn, conn.transaction():
            held = _Held(conn)
            token = self._held.set(held)
            try:
                yield
            finally:
                held.open = False
                self._held.reset(token)

    @asynccontextmanager
    async def data_transaction(self) -> AsyncIterator[None]:
        async with self.transaction():
            await self.execute("SELECT pg_advisory_xact_lock(?)", (DATA_LOCK,))
            before = await self._changes()
            yield
            if await self._changes() != before:
                await self.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")

    async def _changes(self) -> int:
        """Rows this transaction inserted, updated or deleted so far (SQLite's total_changes, per transaction).

        Not "has the transaction a write id": an upsert whose WHERE keeps the row as it is still locks it,
        and that takes one.
        """
        value = await fetch_value(self, _CHANGES_SQL)
        return int(value or 0)

    async def data_version(self) -> int:
        async with self._connection() as conn, _neutral_errors():
            value: Any = await conn.fetchval("SELECT version FROM data_version WHERE id = 1")
            return int(value) if value is not None else 0

    async def close(self) -> None:
        await asyncio.wait_for(self.pool.close(), timeout=10)
