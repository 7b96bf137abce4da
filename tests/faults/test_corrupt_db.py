"""A corrupt or truncated database at startup: one clear line, a non-zero exit, and the file untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def truncated_wal(template: Path, target: Path) -> None:
    data = template.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def truncated_rollback_journal(template: Path, target: Path) -> None:
    # A database not (yet) in WAL mode: switching it to WAL would rewrite its header.
    shutil.copyfile(template, target)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    target.write_bytes(target.read_bytes()[:8192])


def damaged_page_rollback_journal(template: Path, target: Path) -> None:
    # Page 1 intact, so switching to WAL would succeed and rewrite the header, then the check would fail.
    shutil.copyfile(template, target)
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(target.read_bytes())
    middle = (len(data) // page_size // 2) * page_size
    data[middle : middle + page_size] = b"\xff" * page_size
    target.write_bytes(bytes(data))


def header_only(template: Path, target: Path) -> None:
    target.write_bytes(template.read_bytes()[:100])


def garbage(_template: Path, target: Path) -> None:
    target.write_bytes(bytes(range(256)) * 16)


@pytest.mark.parametrize(
    "damage", [truncated_wal, truncated_rollback_journal, damaged_page_rollback_journal, header_only, garbage]
)
def test_a_damaged_database_stops_the_bot_with_one_line_and_is_not_written(
    tmp_path: Path, bundled_template: Path, damage: object
) -> None:
    database = tmp_path / "photofinish.db"
    damage(bundled_template, database)  # type: ignore[operator]
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    env = {**os.environ, "DATABASE_PATH": str(database), "DISCORD_TOKEN": "not-a-real-token"}

    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )

    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0
    assert len(lines) == 1 and "not a usable SQLite database" in lines[0], done.stderr
    assert str(database) in lines[0]
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photofinish.db"]  # no -wal, -shm or -journal left
