"""Shared fixtures: a migrated database with the bundled data, and the real bot inside simcord."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
from discord import app_commands

from bot.app import open_bot
from bot.bot import PhotoFinish
from bot.clock import VirtualClock
from bot.settings import Settings
from bot.tree import user_message
from db.importers.loader import load_bundled
from db.storage.backend import Backend, open_db
from tests.pg_support import (
    Template,
    build_template,
    clone_template,
    drop_schema,
    fresh_schema,
    require_postgres,
    schema_url,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_NOW = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def bundled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundled database once per run; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "bundled.db"

    async def build() -> None:
        async with open_db(path) as db:
            await load_bundled(db)
            await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    asyncio.run(build())
    return path


@pytest.fixture
def db_path(tmp_path: Path, bundled_template: Path) -> Path:
    target = tmp_path / "photofinish.db"
    shutil.copyfile(bundled_template, target)
    return target


# The repository tests (tests/db) are a contract suite: each runs once per backend, PostgreSQL in a fresh
# schema of its own. Elsewhere `db` is SQLite only: those tests are about the bot, not the storage, and
# running them twice would double the suite's time for nothing the contract suite does not already check.
CONTRACT_SUITE = Path(__file__).parent / "db"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    contract = Path(str(metafunc.definition.path)).is_relative_to(CONTRACT_SUITE)
    for name in ("db", "blank_db"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, ["sqlite", "postgres"] if contract else ["sqlite"], indirect=True)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[Template]:
    """The bundled data in PostgreSQL, loaded there once per run (so PostgreSQL computed its summaries)."""
    url = require_postgres()
    template = build_template(url)
    yield template
    drop_schema(url, template.schema)


@pytest.fixture
async def db(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[Backend]:
    """The bundled database: the template's copy, a file (SQLite) or a fresh schema (PostgreSQL)."""
    if request.param == "sqlite":
        async with open_db(db_path) as connection:
            yield connection
        return
    url = require_postgres()
    template = request.getfixturevalue("pg_template")
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as connection:
        await clone_template(connection, template)
        yield connection


@pytest.fixture
async def blank_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "sqlite":
        async with open_db(tmp_path / "blank.db") as connection:
            yield connection
        return
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as connection:
        yield connection


@pytest.fixture
async def settings(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[Settings]:
    """The bot's settings on a copy of the bundled database.

    PHOTOFINISH_TEST_BOT_ON_POSTGRES=1 puts the bot itself on PostgreSQL (a fresh schema per test holding
    the bundled data): the end-to-end tests then run against that backend. Off in `make test`, where the
    contract suite (tests/db) covers both.
    """
    if not os.environ.get("PHOTOFINISH_TEST_BOT_ON_POSTGRES"):
        yield Settings(_env_file=None, database_path=str(db_path), discord_token=None)  # type: ignore[call-arg]
        return
    url = require_postgres()
    template = request.getfixturevalue("pg_template")
    async with fresh_schema(url) as schema:
        async with open_db(url, schema=schema) as connection:
            await clone_template(connection, template)
        yield Settings(_env_file=None, database_url=schema_url(url, schema), discord_token=None)  # type: ignore[call-arg]


@dataclass
class World:
    """A simcord server with a channel, an admin (Manage Server) and a fan."""

    env: simcord.Env
    bot: PhotoFinish
    clock: VirtualClock
    guild: Any
    channel: Any
    admin: Any
    fan: Any


@pytest.fixture
def now() -> dt.datetime:
    return DEFAULT_NOW


@pytest.fixture
def clock(now: dt.datetime) -> VirtualClock:
    return VirtualClock(now)


@pytest.fixture
async def simcord_bot(settings: Settings, clock: VirtualClock) -> AsyncIterator[PhotoFinish]:
    """The real bot on a copy of the bundled database; simcord's `simcord_env` drives it."""
    async with open_bot(settings, clock=clock, sync_policy="always") as bot:
        yield bot


def answered_on_purpose(error: BaseException) -> bool:
    return isinstance(error, app_commands.AppCommandError) and user_message(error) is not None


@pytest.fixture
async def simcord_env(simcord_bot: PhotoFinish, request: pytest.FixtureRequest) -> AsyncIterator[simcord.Env]:
    """simcord's fixture, except that errors our tree answered on purpose don't fail tests.

    "On purpose" is the tree's own policy (bot/tree.py user_message): user errors, missing
    permissions, a locked database's "try again". Anything that got the generic apology is a bug.
    """
    marker = request.node.get_closest_marker("simcord")
    env = simcord.Env(simcord_bot, **(marker.kwargs if marker else {}))
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        unexpected = [e for e in env.errors if not answered_on_purpose(e)]
        if unexpected:
            raise ExceptionGroup("the bot raised unexpected errors during the test", unexpected)


@pytest.fixture
def world(simcord_env: simcord.Env, simcord_bot: PhotoFinish, clock: VirtualClock) -> World:
    clock.attach(simcord_env.now)
    env = simcord_env
    guild = env.create_guild(name="Test Server")
    channel = guild.create_text_channel("race-chat")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("admin"), roles=[admins])
    fan = guild.add_member(env.create_user("fan"))
    return World(env=env, bot=simcord_bot, clock=clock, guild=guild, channel=channel, admin=admin, fan=fan)


@pytest.fixture
def shared_data() -> Iterator[Path]:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    yield SHARED_DATA
