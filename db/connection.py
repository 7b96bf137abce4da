"""SQLite connection, the one write-transaction helper, and migrations by PRAGMA user_version."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 2_000


class DatabaseError(Exception):
    """The database file cannot be used (corrupt, not SQLite, newer schema)."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock past the busy timeout: trying again later will do."""

    def __init__(self, path: str | Path, pid: int | None = None) -> None:
        holder = f" (pid {pid})" if pid else ""
        super().__init__(f"the database {path} is locked by another process{holder}; try again")
        self.path = str(path)
        self.pid = pid


def is_busy(error: BaseException) -> bool:
    """Whether a failure was only another writer holding the lock (the neutral form, or SQLite's own)."""
    if isinstance(error, DatabaseBusy):
        return True
    text = str(error)
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def migration_steps() -> list[tuple[int, str]]:
    """Numbered SQL files shipped in db/migrations, in order."""
    steps = []
    for entry in resources.files("db.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql"):
            steps.append((int(name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(steps)


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open the database with WAL, foreign keys and a busy timeout; fail clearly if it is not usable."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        async with conn.execute("PRAGMA quick_check") as cursor:
            row = await cursor.fetchone()
        if row is None or row[0] != "ok":
            raise DatabaseError(f"{path}: database failed its integrity check ({row[0] if row else 'no answer'})")
    except sqlite3.DatabaseError as error:
        await conn.close()
        raise DatabaseError(f"{path}: not a usable SQLite database ({error})") from None
    except DatabaseError:
        await conn.close()
        raise
    return conn


_WRITE_LOCKS: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def transaction(conn: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error, so a write is all or nothing.

    Tasks share one connection, and SQLite has one transaction per connection: a per-connection
    lock makes concurrent writers (an alert fan-out and a trivia answer, say) take turns.
    """
    lock = _WRITE_LOCKS.setdefault(conn, asyncio.Lock())
    async with lock:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            await conn.rollback()
            raise
        else:
            await conn.commit()


@asynccontextmanager
async def data_transaction(conn: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """A write transaction on race data: when it changed anything, the data version moves with it.

    Guild-side writes (ledger, trivia, settings) use plain `transaction()` and leave caches alone.
    """
    async with transaction(conn):
        before = conn.total_changes
        yield conn
        if conn.total_changes != before:
            await conn.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")


async def data_version(conn: aiosqlite.Connection) -> int:
    """The race-data version: moves with every committed data write, by any process."""
    async with conn.execute("SELECT version FROM data_version WHERE id = 1") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection) -> int:
    """Apply the pending migration steps, each in its own transaction; return the new version."""
    current = await schema_version(conn)
    steps = migration_steps()
    latest = steps[-1][0] if steps else 0
    if current > latest:
        raise DatabaseError(f"database schema version {current} is newer than this bot knows ({latest})")
    for number, sql in steps:
        if number <= current:
            continue
        log.info("Applying migration %04d", number)
        async with transaction(conn):
            # executescript would COMMIT on its own; run statement by statement inside our transaction.
            for statement in _split_sql(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number}")
        current = number
    return current


def _split_sql(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies contain semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise DatabaseError("migration ends with an incomplete statement")
    return statements


@asynccontextmanager
async def open_database(path: str | Path) -> AsyncIterator[aiosqlite.Connection]:
    """Connect and migrate; close on exit."""
    conn = await connect(path)
    try:
        await migrate(conn)
        yield conn
    finally:
        await conn.close()
