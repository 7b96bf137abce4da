"""CLI errors about the database file itself: a path that cannot be a database, a locked or foreign file.

One line on stderr naming the file and the cause, a non-zero exit, and nothing created or changed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.bot.cli_harness import UNKNOWN_TRACK, content_digest, photofinish


@pytest.mark.parametrize("command", [("db", "migrate"), ("db", "stats"), ("console",)])
def test_a_database_path_inside_a_file_is_one_line_and_creates_nothing(workdir: Path, command: tuple[str, ...]) -> None:
    blocker = workdir / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    database = blocker / "photofinish.db"

    ran = photofinish(workdir, *command, database=database)

    assert ran.code == 1
    assert ran.error_line == f"error: {database}: cannot make its folder {blocker} (File exists)"
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"


def test_a_database_path_that_is_a_folder_is_one_line(workdir: Path) -> None:
    folder = workdir / "data"
    folder.mkdir()

    ran = photofinish(workdir, "db", "migrate", database=folder)

    assert ran.code == 1
    assert ran.error_line.startswith(f"error: {folder}: cannot open the database file")
    assert list(folder.iterdir()) == []


def test_a_file_that_is_not_a_database_is_named_and_left_alone(workdir: Path) -> None:
    database = workdir / "notes.db"
    database.write_bytes(b"these are my notes, not SQLite" * 100)

    ran = photofinish(workdir, "db", "migrate", database=database)

    assert ran.code == 1
    assert ran.error_line.startswith(f"error: {database}: not a usable SQLite database")
    assert database.read_bytes() == b"these are my notes, not SQLite" * 100


@pytest.mark.parametrize("command", [("db", "migrate"), ("data", "load", "EXTRA"), ("console",)])
def test_a_database_locked_by_another_writer_is_one_line_and_unchanged(
    workdir: Path, db_path: Path, command: tuple[str, ...]
) -> None:
    extra = workdir / "extra.yaml"
    extra.write_text(UNKNOWN_TRACK.replace("atlantis", "kansas"), encoding="utf-8")
    args = [str(extra) if part == "EXTRA" else part for part in command]
    with sqlite3.connect(db_path) as setup:
        # A bundled file to load again, so `db migrate` has something to write.
        setup.execute("DELETE FROM data_loads WHERE name = 'quotes.yaml'")
    before = content_digest(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        ran = photofinish(workdir, *args, database=db_path)
    finally:
        writer.rollback()
        writer.close()

    assert ran.code == 1
    assert ran.error_line == (
        f"error: the database {db_path} is locked by another process (pid {os.getpid()}); "
        "try again when it has finished"
    )
    assert content_digest(db_path) == before


def test_an_up_to_date_database_needs_no_write_lock(workdir: Path, db_path: Path) -> None:
    before = content_digest(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        ran = photofinish(workdir, "db", "migrate", database=db_path)
    finally:
        writer.rollback()
        writer.close()

    assert ran.code == 0, ran
    assert content_digest(db_path) == before
