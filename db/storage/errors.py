"""A backend's own exception as one sentence naming the database: the CLI's words for storage failures.

Lives beside the backends so the CLI (bot/cli_errors.py) need not know any driver's exception types.
"""

from __future__ import annotations

import sqlite3

from db.storage.connection import is_busy
from db.storage.database import DatabaseBusy
from db.storage.integrity import lock_holder


def describe(error: BaseException, database: str) -> str | None:
    """The sentence for a storage failure of `database`; None when `error` is not one."""
    if isinstance(error, DatabaseBusy) and error.path is None:
        if "://" in database:  # PostgreSQL: no file, no lock holder to name
            return str(DatabaseBusy(database))
        return str(DatabaseBusy(database, lock_holder(database)))  # the port knows its connection, not the file
    if not isinstance(error, sqlite3.Error):
        return None
    message = str(error)
    if is_busy(error):
        return str(DatabaseBusy(database, lock_holder(database)))
    if "unable to open" in message:
        return f"{database}: cannot open the database file (a folder, or in a folder that is missing or read-only?)"
    if "readonly" in message:
        return f"{database}: the database is read-only here; check the file's permissions"
    if "disk" in message and "full" in message:
        return f"{database}: the disk is full"
    return f"{database}: {' '.join(message.split())}"
