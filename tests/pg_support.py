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

import asyncpg
import pytest

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
