"""Migrations: from blank, and a re-run is a no-op."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.connection import DatabaseError, connect, migrate, migration_steps, open_database, schema_version


async def test_migrates_a_blank_database_to_the_latest_version(tmp_path: Path) -> None:
    async with open_database(tmp_path / "a.db") as conn:
        assert await schema_version(conn) == migration_steps()[-1][0]
        async with conn.execute("SELECT count(*) FROM series") as cursor:
            row = await cursor.fetchone()
        assert row is not None and row[0] == 3


async def test_rerunning_migrations_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    async with open_database(path) as conn, conn.execute("SELECT sql FROM sqlite_master ORDER BY name") as cursor:
        before = await cursor.fetchall()
    async with open_database(path) as conn:
        version = await migrate(conn)
        async with conn.execute("SELECT sql FROM sqlite_master ORDER BY name") as cursor:
            after = await cursor.fetchall()
    assert version == migration_steps()[-1][0]
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


async def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    async with open_database(tmp_path / "a.db") as conn:
        async with conn.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"  # type: ignore[index]
        async with conn.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1  # type: ignore[index]


async def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database" * 100)

    with pytest.raises(DatabaseError, match="not a usable SQLite database"):
        await connect(path)
    assert path.read_bytes() == b"this is not a database" * 100


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    async with open_database(path) as conn:
        await conn.execute("PRAGMA user_version = 999")
    conn = await connect(path)
    try:
        with pytest.raises(DatabaseError, match="newer"):
            await migrate(conn)
    finally:
        await conn.close()
