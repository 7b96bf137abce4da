"""PostgreSQL pool and migrations: each step once, however many processes start together.

Every step runs in its own transaction holding one advisory lock (`pg_advisory_xact_lock`), and reads the
schema version only once it holds the lock: of N processes starting at once, one applies the step and the
others, let in after its commit, find it applied. The version lives in a table (`schema_version`), as
SQLite keeps it in PRAGMA user_version.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING

import asyncpg

from db.storage.database import DatabaseError
from db.storage.postgres import LOCK_TIMEOUT, PostgresDatabase

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

log = logging.getLogger(__name__)

# One key for the whole database (not per schema): CREATE EXTENSION is database-wide, so migrations of
# different schemas take turns too.
MIGRATION_LOCK = 0x5046_0017  # "PF", issue 17
POOL_SIZE = 10


def migration_steps() -> list[tuple[int, str]]:
    """Numbered SQL files shipped in db/storage/migrations/postgres, in order."""
    folder = resources.files("db.storage.migrations").joinpath("postgres")
    steps = [
        (int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(steps)


_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version
    (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"""


async def schema_version(conn: PoolConnectionProxy[asyncpg.Record]) -> int:
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    value = await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version")
    return int(value)


async def migrate(pool: asyncpg.Pool) -> int:
    """Apply the pending steps, each in its own transaction under the migration lock; return the version."""
    steps = migration_steps()
    latest = steps[-1][0] if steps else 0
    async with pool.acquire() as conn:
        current = await schema_version(conn)  # a look without the lock: an up-to-date database is left alone
        if current > latest:
            raise DatabaseError(f"database schema version {current} is newer than this bot knows ({latest})")
        for number, sql in steps:
            if number <= current:
                continue
            async with conn.transaction():
                # Waiting for another migrator is expected here: no lock timeout for this transaction.
                await conn.execute("SET LOCAL lock_timeout = 0")
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                if current == 0:  # maybe no version table yet: made under the lock, or two would race to
                    await conn.execute(_VERSION_TABLE)
                current = await schema_version(conn)  # again, now that no one else migrates
                if current > latest:
                    raise DatabaseError(f"database schema version {current} is newer than this bot knows ({latest})")
                if number <= current:
                    continue
                log.info("Applying migration %04d", number)
                await conn.execute(sql)  # no parameters: the simple protocol runs the whole script
                await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", number)
                current = number
    return current


def _describe(url: str, error: BaseException) -> str:
    where = safe_url(url)
    if isinstance(error, asyncpg.InvalidCatalogNameError):
        return f"{where}: no such database ({error})"
    if isinstance(error, asyncpg.InvalidAuthorizationSpecificationError | asyncpg.InvalidPasswordError):
        return f"{where}: the server refused the login ({error})"
    if isinstance(error, OSError):
        return f"{where}: cannot reach the PostgreSQL server ({error.strerror or error})"
    return f"{where}: cannot open the database ({' '.join(str(error).split())})"


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, at, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}{'@' if user else ''}{host}" if at else url


async def create_pool(url: str, *, schema: str | None = None, size: int = POOL_SIZE) -> asyncpg.Pool:
    """A pool of `size` connections; `schema` (tests) puts every name in that schema only."""
    settings = {"lock_timeout": LOCK_TIMEOUT, "application_name": "photofinish"}
    if schema is not None:
        settings["search_path"] = schema
    try:
        # Connections are kept, not closed when idle: a bot's load comes in bursts (a fan-out, a sync), and
        # each reconnect would cost a round of authentication when the burst starts.
        pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=size,
            server_settings=settings,
            timeout=10,
            max_inactive_connection_lifetime=0,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError, ValueError) as error:
        raise DatabaseError(_describe(url, error)) from None
    assert pool is not None
    return pool


@asynccontextmanager
async def open_postgres(
    url: str, *, schema: str | None = None, size: int = POOL_SIZE
) -> AsyncIterator[PostgresDatabase]:
    """Connect and migrate; close on exit."""
    pool = await create_pool(url, schema=schema, size=size)
    try:
        try:
            await migrate(pool)
        except (OSError, asyncpg.PostgresError) as error:
            raise DatabaseError(_describe(url, error)) from None
        yield PostgresDatabase(pool)
    finally:
        await pool.close()
