"""Every CLI error path: one line on stderr naming the file, field or cause, a non-zero exit, the database unchanged.

Each case runs the `photofinish` entry point in a process, as a user would, from an empty folder (so no developer
.env is read), and compares a checksum of the database's content (every row, and the schema version) before and
after.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pytest

from bot.cli_errors import one_line
from tests.bot.cli_harness import UNKNOWN_TRACK, content_digest, photofinish, unchanged


def test_console_with_a_bad_now_is_one_line(workdir: Path, db_path: Path) -> None:
    with unchanged(db_path):
        ran = photofinish(workdir, "console", "--now", "garbage", database=db_path)

    assert ran.code == 2
    assert "--now" in ran.error_line and "'garbage' is not a date and time such as 2024-05-06T12:00Z" in ran.error_line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("console", "--web", "--port", "99999"), "'99999' is not a port number"),
        (("console", "--port", "8765"), "--port is for --web"),
        (("console", "--as", "bogus"), "invalid choice: 'bogus'"),
        (("db",), "required: action"),
        (("db", "migrate", "--bogus"), "unrecognized arguments: --bogus"),
        (("nope",), "invalid choice: 'nope'"),
        ((), "required: command"),
    ],
)
def test_usage_mistakes_are_one_line(workdir: Path, db_path: Path, args: tuple[str, ...], expected: str) -> None:
    with unchanged(db_path):
        ran = photofinish(workdir, *args, database=db_path)

    assert ran.code == 2
    assert expected in ran.error_line and "--help" in ran.error_line


def test_backup_onto_an_existing_file_is_refused(workdir: Path, db_path: Path) -> None:
    target = workdir / "backup.db"
    target.write_bytes(b"an earlier backup")

    with unchanged(db_path):
        ran = photofinish(workdir, "db", "backup", str(target), database=db_path)

    assert ran.code == 1
    assert ran.error_line == f"error: {target}: already exists; a backup never overwrites, so name a new file"
    assert target.read_bytes() == b"an earlier backup"


def test_backup_into_a_missing_folder_is_refused(workdir: Path, db_path: Path) -> None:
    target = workdir / "nowhere" / "backup.db"

    with unchanged(db_path):
        ran = photofinish(workdir, "db", "backup", str(target), database=db_path)

    assert ran.code == 1
    assert ran.error_line == f"error: {target.parent}: no such folder for the backup"
    assert not target.parent.exists()


def test_backup_without_a_database_creates_none(workdir: Path) -> None:
    database = workdir / "missing.db"

    ran = photofinish(workdir, "db", "backup", str(workdir / "backup.db"), database=database)

    assert ran.code == 1
    assert ran.error_line == f"error: {database}: no database here to back up (DATABASE_PATH)"
    assert not database.exists() and not (workdir / "backup.db").exists()


def test_a_backup_still_works(workdir: Path, db_path: Path) -> None:
    target = workdir / "backup.db"

    ran = photofinish(workdir, "db", "backup", str(target), database=db_path)

    assert ran.code == 0, ran.stderr
    assert content_digest(target) == content_digest(db_path)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("missing.yaml", None, "missing.yaml: cannot read file (No such file or directory)"),
        ("broken.yaml", "races: [\n  - season: 2025\n   name: : broken", "broken.yaml: not valid YAML at line"),
        ("atlantis.yaml", UNKNOWN_TRACK, "atlantis.yaml: races[0].track: unknown track 'atlantis'"),
    ],
)
def test_data_load_of_a_bad_file_names_it_and_changes_nothing(
    workdir: Path, db_path: Path, name: str, text: str | None, expected: str
) -> None:
    path = workdir / name
    if text is not None:
        path.write_text(text, encoding="utf-8")

    with unchanged(db_path):
        ran = photofinish(workdir, "data", "load", str(path), database=db_path)

    assert ran.code == 1
    assert ran.error_line.startswith("error: ") and expected in ran.error_line


def test_data_load_of_a_folder_names_it(workdir: Path, db_path: Path) -> None:
    with unchanged(db_path):
        ran = photofinish(workdir, "data", "load", str(workdir), database=db_path)

    assert ran.code == 1
    assert ran.error_line == f"error: {workdir}: cannot read file (Is a directory)"


def test_bad_settings_are_one_line_naming_the_setting(workdir: Path, db_path: Path) -> None:
    with unchanged(db_path):
        ran = photofinish(workdir, "db", "stats", database=db_path, extra_env={"SEND_RATE": "500"})

    assert ran.code == 2
    assert ran.error_line.startswith("error: settings (environment or .env): SEND_RATE: ")


def test_network_errors_are_one_line_naming_what_was_unreachable() -> None:
    # `data sync` and `data import-history` with no network; in-process, since the feed's retries take seconds.
    refused = aiohttp.ClientConnectorError(
        SimpleNamespace(host="cf.nascar.com", port=443, ssl=True), OSError(111, "Connection refused")
    )

    text = one_line(refused, database="photofinish.db")

    assert text.startswith("cannot reach the network: ")
    assert "cf.nascar.com:443" in text and "\n" not in text
    assert "photofinish.db" not in text  # not the database's fault


def test_sqlite_errors_name_the_database() -> None:
    assert one_line(sqlite3.OperationalError("disk I/O error"), database="x.db") == "x.db: disk I/O error"
    assert one_line(sqlite3.OperationalError("database is locked"), database="x.db").startswith(
        "the database x.db is locked by another process"
    )


def test_anything_else_is_still_one_line() -> None:
    assert one_line(ValueError("first\nsecond")) == "ValueError: first second"


def test_a_reader_that_stops_early_gets_no_traceback(workdir: Path, db_path: Path) -> None:
    env = {**os.environ, "DATABASE_PATH": str(db_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "data", "schema"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the schema is written
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)

    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert code == 1
