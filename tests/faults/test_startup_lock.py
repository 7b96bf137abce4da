"""Another process holds the write lock while the bot starts and must write: one line naming it, a non-zero exit.

Each case is a database the bot has to write to at startup (bundled data to load, a migration to apply,
the switch to WAL), held in BEGIN IMMEDIATE by a connection of this test process, whose pid the line must
name. The file is unchanged afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def bundled_to_load(template: Path, target: Path) -> None:
    shutil.copyfile(template, target)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("DELETE FROM data_loads WHERE name = 'quotes.yaml'")  # load_bundled will write it again
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # into the file itself, so its digest is the whole state
    conn.close()


def migration_to_apply(_template: Path, target: Path) -> None:
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE unrelated (x)")  # user_version 0: every migration is pending
    conn.close()


def rollback_journal(template: Path, target: Path) -> None:
    shutil.copyfile(template, target)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = DELETE")  # the bot switches it to WAL, which needs the lock
    conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("prepare", [bundled_to_load, migration_to_apply, rollback_journal])
def test_a_database_locked_at_startup_is_one_line_naming_the_holder(
    tmp_path: Path, bundled_template: Path, prepare: Callable[[Path, Path], None]
) -> None:
    database = tmp_path / "photofinish.db"
    prepare(bundled_template, database)
    before = digest(database)
    env = {**os.environ, "DATABASE_PATH": str(database), "DISCORD_TOKEN": "not-a-real-token", "LOG_LEVEL": "INFO"}
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        holder.rollback()
        holder.close()

    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0
    expected = f"error: the database {database} is locked by another process (pid {os.getpid()}); try again"
    assert lines == [expected + " when it has finished"], done.stderr
    assert digest(database) == before
