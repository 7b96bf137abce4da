"""`photofinish db copy`: SQLite → PostgreSQL → SQLite keeps every row; an occupied target is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.storage.backend import open_db
from db.storage.copy import CopyRefused, copy_database
from db.storage.maintenance import table_counts
from db.store import Store
from tests.pg_support import fresh_schema, require_postgres, schema_url

QUERIES = (
    "SELECT id, series, season, name, winner_id, margin_s, field_sources FROM races ORDER BY id",
    "SELECT race_id, finish, driver_id, laps_led, rating FROM results ORDER BY race_id, finish",
    "SELECT version FROM data_version",
    "SELECT driver_id, series, starts, wins, best_season FROM driver_series_stats ORDER BY driver_id, series",
)


async def _answers(location: str | Path, schema: str | None = None) -> tuple[object, ...]:
    async with open_db(location, schema=schema) as db:
        store = Store(db)
        found = [[tuple(r) for r in await db.fetch(sql)] for sql in QUERIES]
        quotes = [q.text for q in await store.quotes.find_quotes(search="the")]
        return dict(await table_counts(db)), found, quotes


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCORD_TOKEN": "", "NO_COLOR": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("DATABASE_PATH", None)
    command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


async def test_sqlite_to_postgres_to_sqlite_keeps_every_row(db_path: Path, tmp_path: Path) -> None:
    url = require_postgres()
    before = await _answers(db_path)
    async with fresh_schema(url) as schema:
        pg_url = schema_url(url, schema)
        there = cli(tmp_path, "db", "copy", "--from", f"sqlite:///{db_path}", "--to", pg_url)
        assert there.returncode == 0, there.stderr
        assert there.stdout.strip().splitlines()[-1].startswith("Copied ")
        middle = await _answers(url, schema)
        back = tmp_path / "back.db"
        again = cli(tmp_path, "db", "copy", "--from", pg_url, "--to", f"sqlite:///{back}")
        assert again.returncode == 0, again.stderr
    after = await _answers(back)
    assert middle == before
    assert after == before
    assert before[2], "the fixture's quote search finds something"


async def test_a_target_holding_data_is_refused_with_one_line(db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(db_path, other)
    ran = cli(tmp_path, "db", "copy", "--from", f"sqlite:///{db_path}", "--to", f"sqlite:///{other}")
    assert ran.returncode != 0
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "already holds data" in lines[0], ran.stderr


def test_a_missing_source_is_refused_and_not_created(tmp_path: Path) -> None:
    ran = cli(tmp_path, "db", "copy", "--from", f"sqlite:///{tmp_path}/none.db", "--to", f"sqlite:///{tmp_path}/b.db")
    assert ran.returncode != 0 and "no database here to copy from" in ran.stderr
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.db").exists()


async def test_a_failed_copy_leaves_the_target_empty(db_path: Path, tmp_path: Path) -> None:
    url = require_postgres()
    async with fresh_schema(url) as schema, open_db(db_path) as source, open_db(url, schema=schema) as target:
        calls = 0

        def fail_midway(table: str, done: int, total: int) -> None:
            nonlocal calls
            calls += 1
            if calls > 10:
                raise RuntimeError("interrupted")

        with pytest.raises(RuntimeError):
            await copy_database(source, target, progress=fail_midway)
        counts = dict(await table_counts(target))
        assert counts["races"] == 0 and counts["drivers"] == 0
        assert counts["series"] == 3  # the migration's own rows are back too
        await copy_database(source, target)  # and the empty target takes the copy afterwards
        with pytest.raises(CopyRefused, match="already holds data"):
            await copy_database(source, target)
