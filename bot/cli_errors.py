"""Any failure of a CLI command as the one line the user reads: which file, field or cause, and what to do."""

from __future__ import annotations

import aiohttp
from pydantic import ValidationError

from db.importers.dataset import DatasetError
from db.importers.feed.parse import FeedFormatError
from db.importers.history_csv import HistoryError
from db.storage.database import DatabaseError
from db.storage.errors import describe

# Errors whose own message already names the file and field (db/ raises them that way).
NAMED = (DatasetError, DatabaseError, HistoryError, FeedFormatError)


class CliError(Exception):
    """A failure the command itself explains in one line."""


def _flat(text: str) -> str:
    return " ".join(text.split())


def one_line(error: BaseException, *, database: str | None = None) -> str:
    """The error as one line; sqlite errors name the database, file errors the file."""
    if database is not None and (storage := describe(error, database)) is not None:
        return storage
    if isinstance(error, (CliError, *NAMED)):
        return _flat(str(error))
    if isinstance(error, aiohttp.ClientResponseError):
        return f"{error.request_info.real_url}: HTTP {error.status} {_flat(error.message)}"
    if isinstance(error, aiohttp.ClientError):
        return f"cannot reach the network: {_flat(str(error)) or type(error).__name__}"
    if isinstance(error, OSError) and error.strerror:
        folder = str(error.filename) if error.filename is not None else None
        if database is not None and folder is not None and database.startswith(folder.rstrip("/") + "/"):
            return f"{database}: cannot make its folder {folder} ({error.strerror})"
        return f"{error.filename}: {error.strerror}" if error.filename is not None else _flat(str(error))
    text = _flat(str(error))
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def settings_error(error: ValidationError) -> str:
    """Bad settings (environment or .env) as one line: each setting by its variable name."""
    problems = []
    for item in error.errors():
        name = "_".join(str(part) for part in item["loc"]).upper() or "settings"
        problems.append(f"{name}: {item['msg']}")
    return "settings (environment or .env): " + "; ".join(problems)
