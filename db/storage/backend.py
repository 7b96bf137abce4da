"""Which database the bot opens: the one place that picks a backend, from DATABASE_URL or a plain path.

Everything outside db/ opens storage through `open_db` and works with the `Database` port it yields:
`sqlite:///relative.db`, `sqlite:////absolute.db` or a bare path is the SQLite file; `postgresql://…`
(or `postgres://…`) is a PostgreSQL database through an asyncpg pool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from db.storage.connection import open_database
from db.storage.database import DatabaseError
from db.storage.dialect import DialectName
from db.storage.pg_connection import POOL_SIZE, open_postgres, safe_url
from db.storage.postgres import PostgresDatabase
from db.storage.sqlite import SqliteDatabase

Backend = SqliteDatabase | PostgresDatabase
DEFAULT_URL = "sqlite:///photofinish.db"


class BadLocation(DatabaseError, ValueError):
    """A DATABASE_URL that names no database this bot can open (a ValueError, for the settings check)."""


@dataclass(frozen=True)
class Location:
    """Where the database is: a SQLite file (`target` is its path) or a PostgreSQL URL."""

    dialect: DialectName
    target: str

    def __str__(self) -> str:
        return self.target if self.dialect == "sqlite" else safe_url(self.target)


def parse_location(text: str | Path) -> Location:
    """A DATABASE_URL (or a plain SQLite path) as a Location; BadLocation says what is wrong in one line."""
    value = str(text).strip()
    if "://" not in value:
        if not value:
            raise BadLocation("the database location is empty")
        return Location("sqlite", value)
    scheme, _, rest = value.partition("://")
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise BadLocation(
                f"{value}: a SQLite URL is sqlite:///relative.db or sqlite:////absolute/path.db"
                " (three slashes, then the path)"
            )
        return Location("sqlite", rest[1:])
    if scheme in ("postgresql", "postgres"):
        if not rest or (rest.startswith("/") and len(rest) == 1):
            raise BadLocation(f"{value}: a PostgreSQL URL is postgresql://user:password@host:5432/database")
        return Location("postgres", f"postgresql://{rest}")
    raise BadLocation(
        f"{safe_url(value)}: unknown database scheme {scheme!r} (use sqlite:///file.db or postgresql://host/db)"
    )


@asynccontextmanager
async def open_db(
    location: str | Path | Location, *, schema: str | None = None, pool_size: int = POOL_SIZE
) -> AsyncIterator[Backend]:
    """The database at DATABASE_URL (or a SQLite path), migrated; closed on exit.

    `schema` puts a PostgreSQL database's tables in that schema (tests give each one its own).
    """
    where = location if isinstance(location, Location) else parse_location(location)
    if where.dialect == "postgres":
        async with open_postgres(where.target, schema=schema, size=pool_size) as pg:
            yield pg
        return
    async with open_database(where.target) as conn:
        yield SqliteDatabase(conn)
