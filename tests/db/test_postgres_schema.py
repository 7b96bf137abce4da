"""Both dialects' migrations build the same schema, and N processes migrating PostgreSQL at once do it once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from db.storage import connection, pg_connection
from db.storage.backend import open_db
from db.storage.catalog import Table, describe, table_names
from db.storage.database import DatabaseError
from tests.pg_support import fresh_schema, require_postgres, schema_url

ROOT = Path(__file__).resolve().parents[2]


async def _schema(db_location: str | Path, schema: str | None = None) -> dict[str, Table]:
    async with open_db(db_location, schema=schema) as db:
        return {name: await describe(db, name) for name in await table_names(db)}


def test_both_dialects_have_the_same_migration_steps() -> None:
    assert [n for n, _ in connection.migration_steps()] == [n for n, _ in pg_connection.migration_steps()]


async def test_both_dialects_build_the_same_tables_columns_and_keys(tmp_path: Path) -> None:
    url = require_postgres()
    lite = await _schema(tmp_path / "a.db")
    async with fresh_schema(url) as schema:
        pg = await _schema(url, schema)
    assert sorted(pg) == sorted(lite)
    for name, table in lite.items():
        other = pg[name]
        assert other.columns == table.columns, name
        assert other.primary_key == table.primary_key, name
        assert other.unique == table.unique, name
        assert other.foreign_keys == table.foreign_keys, name


async def test_migrating_postgres_twice_changes_nothing() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema:
        first = await _schema(url, schema)
        second = await _schema(url, schema)
        conn = await asyncpg.connect(schema_url(url, schema))
        try:
            versions = [r[0] for r in await conn.fetch("SELECT version FROM schema_version ORDER BY version")]
        finally:
            await conn.close()
    assert first == second
    assert versions == [n for n, _ in pg_connection.migration_steps()]


def test_four_processes_migrating_an_empty_postgres_at_once_apply_each_step_once(tmp_path: Path) -> None:
    url = require_postgres()

    async def scenario() -> tuple[list[int], list[str], list[int]]:
        async with fresh_schema(url) as schema:
            env = {**os.environ, "DATABASE_URL": schema_url(url, schema), "DISCORD_TOKEN": "", "NO_COLOR": "1"}
            command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "db", "migrate"]
            processes = [
                await asyncio.to_thread(
                    subprocess.Popen, command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
                for _ in range(4)
            ]
            outputs = [await asyncio.to_thread(p.communicate, timeout=120) for p in processes]
            conn = await asyncpg.connect(schema_url(url, schema))
            try:
                versions = [r[0] for r in await conn.fetch("SELECT version FROM schema_version ORDER BY version")]
            finally:
                await conn.close()
            return [p.returncode for p in processes], [err.decode() for _, err in outputs], versions

    codes, errors, versions = asyncio.run(scenario())
    assert codes == [0, 0, 0, 0], errors
    assert versions == [n for n, _ in pg_connection.migration_steps()]  # the primary key: each step one row


async def test_a_newer_postgres_schema_is_refused() -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema:
        async with open_db(url, schema=schema) as db:
            await db.execute("INSERT INTO schema_version (version) VALUES (999)")
        with pytest.raises(DatabaseError, match="newer"):
            async with open_db(url, schema=schema):
                pass
