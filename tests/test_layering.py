"""The house's walls: database drivers stay behind the storage port in db/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRIVER_IMPORT = re.compile(r"^\s*(?:import|from)\s+(aiosqlite|sqlite3|asyncpg)\b", re.MULTILINE)


def test_no_database_driver_is_imported_outside_db() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for folder in ("bot", "cogs")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for match in DRIVER_IMPORT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert leaks == [], "database drivers outside db/ (go through db.storage.database.Database):\n" + "\n".join(leaks)


def test_the_scan_sees_an_import_when_there_is_one() -> None:
    assert DRIVER_IMPORT.search("x = 1\nimport sqlite3\n") and DRIVER_IMPORT.search("    from aiosqlite import Row\n")
    assert not DRIVER_IMPORT.search("from db.storage.sqlite import SqliteDatabase\n")
