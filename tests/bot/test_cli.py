"""Every CLI error path: one line on stderr naming the file, field or cause, a non-zero exit, the database unchanged.

Each case runs the `photofinish` entry point in a process, as a user would, from an empty folder (so no developer
.env is read), and compares a checksum of the database's content (every row, and the schema version) before and
after.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pytest

from bot.cli_errors import one_line

UNKNOWN_TRACK = """
races:
  - season: 2025
    race_number: 12
    name: AdventHealth 400
    track: atlantis
    date: 2025-05-11
    status: official
    source: nascaR.data
    results:
      - {pos: 1, car: "5", driver: Kyle Larson}
"""


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str

    @property
    def error_line(self) -> str:
        """The one line the user reads; fails the test if there is anything more."""
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{self.stderr}"
        assert "Traceback" not in self.stderr
        return lines[0]


def photofinish(cwd: Path, *args: str, database: Path | str, extra_env: dict[str, str] | None = None) -> Ran:
    env = {**os.environ, "DATABASE_PATH": str(database), "DISCORD_TOKEN": "", "NO_COLOR": "1"}
    env.pop("LOG_LEVEL", None)
    env.update(extra_env or {})
    done = subprocess.run(
        # What the installed `photofinish` script runs (`python -m bot` without arguments means `run`).
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        cwd=cwd,
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def content_digest(path: Path) -> str | None:
    """Every row and the schema version; None when there is no database file at all."""
    if not path.exists():
        return None
    with sqlite3.connect(path) as conn:
        digest = hashlib.sha256(str(conn.execute("PRAGMA user_version").fetchone()).encode())
        # Sorted: a copy (VACUUM INTO) may list the same schema objects in another order.
        for line in sorted(conn.iterdump()):
            digest.update(line.encode())
    return digest.hexdigest()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@contextmanager
def unchanged(database: Path) -> Iterator[None]:
    before = content_digest(database)
    yield
    assert content_digest(database) == before, f"{database} changed"


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
