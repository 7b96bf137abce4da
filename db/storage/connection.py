"""SQLite connection, the one write-transaction helper, and migrations by PRAGMA user_version."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from db.storage.database import DatabaseBusy, DatabaseError
from db.storage.integrity import FileProblem, journal_kind, lock_holder, quick_check_read_only

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 2_000


def is_busy(error: BaseException) -> bool:
    """Whether a failure was only another writer holding the lock (the neutral form, or SQLite's own)."""
    if isinstance(error, DatabaseBusy):
        return True
    text = str(error)
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def migration_steps() -> list[tuple[int, str]]:
    """Numbered SQL files shipped in db/storage/migrations/sqlite, in order."""
    steps = []
    for entry in resources.files("db.storage.migrations").joinpath("sqlite").iterdir():
        name = entry.name
        if name.endswith(".sql"):
            steps.append((int(name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(steps)


def _open(location: str) -> sqlite3.Connection:
    # Made here, not in aiosqlite's worker thread: when opening fails, there is no worker to outlive the
    # event loop (aiosqlite 0.22 stops it without waiting, and it dies printing "Event loop is closed").
    # aiosqlite uses the connection only from its one worker thread, hence check_same_thread=False.
    return sqlite3.connect(location, isolation_level=None, check_same_thread=False)


def _open_failure(path: str | Path, error: sqlite3.Error) -> str:
    if "unable to open" in str(error):
        return f"{path}: cannot open the database file (a folder, or in a folder that is missing or read-only?)"
    return f"{path}: not a usable SQLite database ({error})"


@contextmanager
def busy_names_holder(path: str | Path) -> Iterator[None]:
    """Turn SQLite's "database is locked" (past the busy timeout) into DatabaseBusy naming the holder."""
    try:
        yield
    except DatabaseBusy as error:
        if error.path is not None:
            raise
        holder = lock_holder(path) if "://" not in str(path) else None  # a PostgreSQL URL has no file to ask
        raise DatabaseBusy(path, holder) from None  # from the storage port: name the file and holder
    except sqlite3.OperationalError as error:
        if not is_busy(error):
            raise
        raise DatabaseBusy(path, lock_holder(path)) from None


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open the database with WAL, foreign keys and a busy timeout; fail clearly if it is not usable.

    Nothing writes to the file before it has been checked (db/storage/integrity.py): a damaged file is left
    byte for byte as it was.
    """
    location = str(path)
    memory = location == ":memory:"
    kind = "memory"
    if not memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # its OSError names the folder (bot/cli_errors.py)
    try:
        if not memory:
            kind = await asyncio.to_thread(journal_kind, Path(path))
            if kind == "rollback":
                with busy_names_holder(path):
                    await asyncio.to_thread(quick_check_read_only, Path(path), timeout_s=BUSY_TIMEOUT_MS / 1000)
        raw = await asyncio.to_thread(_open, location)
    except FileProblem as problem:
        raise DatabaseError(f"{path}: not a usable SQLite database ({problem})") from None
    except DatabaseBusy:
        raise
    except OSError as error:
        raise DatabaseError(f"{path}: cannot open the database file ({error.strerror})") from None
    except sqlite3.Error as error:
        raise DatabaseError(_open_failure(path, error)) from None
    conn = await aiosqlite.Connection(lambda: raw, iter_chunk_size=64)
    conn.row_factory = aiosqlite.Row
    try:
        with busy_names_holder(path):
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            if kind == "wal":
                await _quick_check(conn, path)  # before anything on this connection writes
            if not memory:
                await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
    except DatabaseError:
        await conn.close()
        raise
    except sqlite3.DatabaseError as error:
        await conn.close()
        raise DatabaseError(f"{path}: not a usable SQLite database ({error})") from None
    return conn


async def _quick_check(conn: aiosqlite.Connection, path: str | Path) -> None:
    async with conn.execute("PRAGMA quick_check") as cursor:
        row = await cursor.fetchone()
    if row is None or row[0] != "ok":
        raise DatabaseError(
            f"{path}: not a usable SQLite database (failed its integrity check: {row[0] if row else 'no answer'})"
        )


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
    """The race-data version: moves with every committed data write, by any process.

    One hop to SQLite's thread (execute + fetch + close would be three): every memoised read asks it.
    """
    rows = list(await conn.execute_fetchall("SELECT version FROM data_version WHERE id = 1"))
    return int(rows[0][0]) if rows else 0


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
        async with transaction(conn):
            log.info("Applying migration %04d", number)  # once the write lock is ours: no line before a busy error
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
        with busy_names_holder(path):
            await migrate(conn)
        yield conn
    finally:
        await conn.close()
