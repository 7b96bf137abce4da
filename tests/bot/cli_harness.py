"""Running the `photofinish` entry point as a user would, and telling whether a database changed.

Each run is a process started from an empty folder (so no developer .env is read); `content_digest` is a
checksum of the database's content (every row, and the schema version) to compare before and after.
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


@contextmanager
def unchanged(database: Path) -> Iterator[None]:
    before = content_digest(database)
    yield
    assert content_digest(database) == before, f"{database} changed"
