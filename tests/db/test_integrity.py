"""db/storage/integrity.py and connect(): what a file is before it is opened, and what a failed open leaves behind."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.storage.connection import connect
from db.storage.integrity import FileProblem, journal_kind, lock_holder


def rollback_copy(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return target


def test_journal_kind_reads_the_header(tmp_path: Path, bundled_template: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    notes = tmp_path / "notes.db"
    notes.write_text("not SQLite", encoding="utf-8")

    assert journal_kind(tmp_path / "missing.db") == "new"
    assert journal_kind(empty) == "new"
    assert journal_kind(bundled_template) == "wal"
    assert journal_kind(rollback_copy(bundled_template, tmp_path / "old.db")) == "rollback"
    with pytest.raises(FileProblem, match="not a database"):
        journal_kind(notes)


async def test_a_healthy_rollback_journal_database_is_checked_then_switched_to_wal(
    tmp_path: Path, bundled_template: Path
) -> None:
    database = rollback_copy(bundled_template, tmp_path / "old.db")

    conn = await connect(database)
    try:
        async with conn.execute("PRAGMA journal_mode") as cursor:
            row = await cursor.fetchone()
    finally:
        await conn.close()

    assert row is not None and row[0] == "wal"


FAILED_OPEN = """
import asyncio, sys
from db.storage.database import DatabaseError
from db.storage.connection import connect

async def main() -> None:
    try:
        await connect(sys.argv[1])
    except DatabaseError as error:
        print(error)

asyncio.run(main())
"""


def test_a_failed_open_leaves_no_worker_thread_to_die_after_the_loop(tmp_path: Path) -> None:
    # aiosqlite 0.22 does not wait for its worker when connecting fails; once asyncio.run has closed the
    # loop the worker died printing "RuntimeError: Event loop is closed" (on main, 4 runs out of 4).
    folder = tmp_path / "a-folder.db"
    folder.mkdir()

    done = subprocess.run(
        [sys.executable, "-c", FAILED_OPEN, str(folder)], capture_output=True, text=True, timeout=60, check=False
    )

    assert "cannot open the database file" in done.stdout
    assert done.stderr == ""


def test_nobody_holds_an_idle_database(db_path: Path) -> None:
    assert lock_holder(db_path) is None
