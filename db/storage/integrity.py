"""Check a database file before anything writes to it, and name who holds its lock.

Switching a rollback-journal database to WAL rewrites its header, so a damaged file must be found out
first, read-only: a `mode=ro` connection and `PRAGMA quick_check`. A WAL-mode file is different: a
read-only connection to it has to create -wal and -shm files it can then not remove, while opening it
read-write changes nothing in the file until something writes, so connect() checks those on its own
connection, before any write. Either way a file that is not SQLite at all is refused from its header
without being opened.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
WAL_VERSION = 2  # header bytes 18 and 19: 1 = rollback journal, 2 = WAL
PROC_LOCKS = Path("/proc/locks")


class FileProblem(Exception):
    """The file is not a usable database; the message says why (without the path)."""


def journal_kind(path: Path) -> str:
    """ "new" (missing or empty), "wal" or "rollback"; FileProblem when it is not an SQLite file."""
    try:
        with path.open("rb") as file:
            header = file.read(HEADER_SIZE)
    except FileNotFoundError:
        return "new"
    if not header:
        return "new"
    if len(header) < HEADER_SIZE or not header.startswith(HEADER):
        raise FileProblem("file is not a database")
    return "wal" if header[18] == WAL_VERSION and header[19] == WAL_VERSION else "rollback"


def quick_check_read_only(path: Path, *, timeout_s: float) -> None:
    """PRAGMA quick_check on a read-only connection: FileProblem when damaged; sqlite3 errors otherwise."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout_s, isolation_level=None)
    try:
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
        except sqlite3.OperationalError:
            raise  # locked, or cannot open: the caller words those
        except sqlite3.DatabaseError as error:
            raise FileProblem(str(error)) from None
    finally:
        conn.close()
    if row is None or row[0] != "ok":
        raise FileProblem(f"failed its integrity check ({row[0] if row else 'no answer'})")


def lock_holder(path: str | Path) -> int | None:
    """The pid of another process holding a write lock on the database (or its -shm), if Linux says."""
    files = [Path(path), Path(f"{path}-shm")]
    keys = set()
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        keys.add(f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}")
    try:
        lines = PROC_LOCKS.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 13030 fe:00:2154514 1073741825 1073741825"
        if len(fields) >= 6 and fields[3] == "WRITE" and fields[5] in keys and fields[4].isdigit():
            pid = int(fields[4])
            if pid != os.getpid():
                return pid
    return None
