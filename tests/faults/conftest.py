"""The database that several bot processes share in the multi-process fault tests: SQLite and PostgreSQL.

Each case gets the bundled data in a database of its own, named by a location string the child processes
open as the bot does (`DATABASE_URL`): a copied SQLite file, or a fresh PostgreSQL schema (its URL carries
the `search_path`) filled from the run's template.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from db.storage.backend import open_db
from tests.pg_support import Template, clone_template, fresh_schema, require_postgres, schema_url


@pytest.fixture(params=["sqlite", "postgres"])
async def shared_database(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield str(db_path)
        return
    url = require_postgres()
    template: Template = request.getfixturevalue("pg_template")
    async with fresh_schema(url) as schema:
        async with open_db(url, schema=schema) as database:
            await clone_template(database, template)
        yield schema_url(url, schema)
