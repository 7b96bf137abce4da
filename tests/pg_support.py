"""The test PostgreSQL server: reachable or not (fail under CI, skip elsewhere), and a fresh schema per test.

Every test that touches PostgreSQL works in its own schema (`pf_<hex>`), created here and dropped after, so
tests never see each other's rows and a crashed run leaves nothing that the next one reads.
"""

from __future__ import annotations

import asyncio
import functools
import os
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from db.importers.loader import load_bundled
from db.storage.backend import Backend, open_db
from db.storage.catalog import in_foreign_key_order
from db.storage.copy import SEEDED
from db.storage.database import fetch_value

PG_URL = os.environ.get("PHOTOFINISH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def _unreachable() -> str | None:
    """Why the server cannot be used (None when it can); asked once per run."""

    async def probe() -> None:
        conn = await asyncpg.connect(PG_URL, timeout=5)
        try:
            # Extensions are database-wide: made once in public, so dropping a test schema never drops one.
            await conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
        finally:
            await conn.close()

    try:
        # Its own thread and loop: asked from sync and async tests alike (asyncio.run refuses a running loop).
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"PostgreSQL at {PG_URL} is not usable ({type(error).__name__}: {error})"
    return None


def require_postgres() -> str:
    """The server's URL; without one, fail under CI (it must run there) and skip on a developer's machine."""
    reason = _unreachable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so the PostgreSQL tests must run")
        pytest.skip(reason)
    return PG_URL


def new_schema_name() -> str:
    return f"pf_{uuid.uuid4().hex[:16]}"


@asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """An empty schema for one test, dropped (with everything in it) afterwards."""
    name = new_schema_name()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {name}")
    finally:
        await conn.close()
    try:
        yield name
    finally:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        finally:
            await conn.close()


def schema_url(url: str, schema: str) -> str:
    """The URL with `search_path` set, for a child process (asyncpg passes unknown URL parameters as settings)."""
    return f"{url}{'&' if '?' in url else '?'}search_path={schema}"


@asynccontextmanager
async def another_connection(db: Backend, db_path: Path) -> AsyncIterator[Backend]:
    """A second connection to the database `db` is on, as another process would hold one."""
    if db.dialect.name == "sqlite":
        async with open_db(db_path) as other:
            yield other
        return
    schema = str(await fetch_value(db, "SELECT current_schema()"))
    async with open_db(PG_URL, schema=schema) as other:
        yield other


@dataclass(frozen=True)
class Template:
    """A schema holding the bundled data as PostgreSQL itself computed it, and its tables in key order."""

    schema: str
    tables: tuple[tuple[str, bool], ...]  # (name, has an identity column)


def build_template(url: str) -> Template:
    """The bundled data loaded once per run into a schema of its own (summaries computed by PostgreSQL)."""

    async def build() -> Template:
        schema = new_schema_name()
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"CREATE SCHEMA {schema}")
        finally:
            await conn.close()
        async with open_db(url, schema=schema) as db:
            await load_bundled(db)
            tables = []
            for table in await in_foreign_key_order(db):
                identity = await fetch_value(
                    db,
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = (current_schema() || '.' || ?)::regclass"
                    " AND attidentity <> ''",
                    (table.name,),
                )
                tables.append((table.name, bool(identity)))
        return Template(schema, tuple(tables))

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, build()).result()


def drop_schema(url: str, schema: str) -> None:
    async def drop() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, drop()).result()


async def clone_template(db: Backend, template: Template) -> None:
    """The template's rows into the migrated, empty schema `db` is on: one statement per table, server side."""
    async with db.transaction():
        for seeded in SEEDED:
            await db.execute(f"DELETE FROM {seeded}")
        for name, identity in template.tables:
            await db.execute(f"INSERT INTO {name} SELECT * FROM {template.schema}.{name}")
            if identity:
                await db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 0) + 1, false)"
                    f" FROM {name}"
                )
