"""The storage port: what the repositories need from a database, and nothing of the driver behind it.

Repositories (db/repos/tracks.py, db/repos/races.py, …) and the import pipelines talk to a `Database`: run a
statement, fetch rows, hold a write transaction. `SqliteDatabase` (db/storage/sqlite.py) and
`PostgresDatabase` (db/storage/postgres.py) implement it. Errors come out neutral:
`DatabaseBusy` when another writer holds the database, so the error policy (bot/tree.py) and the alert
engine never need to know a driver's exception types.

SQL is written with `?` placeholders; a backend that numbers its parameters translates them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

from db.storage.dialect import Dialect


class DatabaseError(Exception):
    """The database cannot be used (corrupt, not a database, newer schema)."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock past the busy timeout: trying again later will do.

    Raised by a backend without the path (it knows only its connection); whoever opened the database by
    path (db.storage.connection.busy_names_holder) names the file and, where the system tells, the holder's pid.
    """

    def __init__(self, path: str | Path | None = None, pid: int | None = None) -> None:
        holder = f" (pid {pid})" if pid else ""
        where = f"the database {path}" if path is not None else "the database"
        super().__init__(f"{where} is locked by another process{holder}; try again when it has finished")
        self.path = str(path) if path is not None else None
        self.pid = pid


class Row(Protocol):
    """One result row: by column name or position (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def keys(self) -> Iterable[str]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Any]: ...


Params = Sequence[object]


class Database(Protocol):
    @property
    def dialect(self) -> Dialect:
        """Which SQL the backend speaks, for the few fragments that differ (db/storage/dialect.py)."""
        ...

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; how many rows it changed."""
        ...

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement once per parameter row."""
        ...

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of one query."""
        ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of one query, or None."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[None]:
        """A write transaction: all or nothing, writers of this process take turns."""
        ...

    def data_transaction(self) -> AbstractAsyncContextManager[None]:
        """A write transaction on race data: when it changed anything, the data version moves with it."""
        ...

    async def data_version(self) -> int:
        """The race-data version: moves with every committed data write, by any process."""
        ...


async def fetch_value(db: Database, sql: str, params: Params = ()) -> Any:
    """The first column of the first row (None when there is no row)."""
    row = await db.fetch_one(sql, params)
    return row[0] if row is not None else None


async def insert_id(db: Database, sql: str, params: Params = ()) -> int:
    """Run one INSERT and return the new row's id (`RETURNING id`: SQLite 3.35+ and PostgreSQL alike)."""
    row = await db.fetch_one(f"{sql} RETURNING id", params)
    if row is None:
        raise RuntimeError("INSERT … RETURNING id returned no row")
    return int(row[0])
