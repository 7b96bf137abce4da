"""Migrations: from blank, and a re-run is a no-op."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.storage.backend import open_db
from db.storage.connection import connect, migrate, migration_steps, schema_version
from db.storage.database import DatabaseError


async def test_migrates_a_blank_database_to_the_latest_version(tmp_path: Path) -> None:
    async with open_db(tmp_path / "a.db") as db:
        assert await schema_version(db.conn) == migration_steps()[-1][0]
        row = await db.fetch_one("SELECT count(*) FROM series")
        assert row is not None and row[0] == 3


async def test_rerunning_migrations_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    async with open_db(path) as db:
        before = await db.fetch("SELECT sql FROM sqlite_master ORDER BY name")
    async with open_db(path) as db:
        version = await migrate(db.conn)
        after = await db.fetch("SELECT sql FROM sqlite_master ORDER BY name")
    assert version == migration_steps()[-1][0]
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


async def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    async with open_db(tmp_path / "a.db") as db:
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database" * 100)

    with pytest.raises(DatabaseError, match="not a usable SQLite database"):
        await connect(path)
    assert path.read_bytes() == b"this is not a database" * 100


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    async with open_db(path) as db:
        await db.execute("PRAGMA user_version = 999")
    conn = await connect(path)
    try:
        with pytest.raises(DatabaseError, match="newer"):
            await migrate(conn)
    finally:
        await conn.close()
