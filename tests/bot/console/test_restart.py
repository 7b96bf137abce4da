"""The console is one stable offline server: quit, start again (with a later --now) and it is the same server.

These run `python -m bot console` as the README does, one process per start, on one database file. The
expected lines are what the README's walk-through printed when it was written.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.console.server import IDS_CHANGED

PERSIST_KEY = "console_server"


def console(db: Path, script: str, *, now: str, persona: str = "admin") -> str:
    env = {**os.environ, "DATABASE_PATH": str(db), "DISCORD_TOKEN": "", "TZ": "UTC", "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--now", now, "--as", persona],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=db.parent,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def stored_ids(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT value FROM bot_state WHERE key = ?", (PERSIST_KEY,)).fetchone()
    assert row is not None
    return str(row[0])


def test_alerts_set_up_before_a_restart_are_still_there(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    console(db, "/alerts setup channel:#race-alerts leads:1h\n", now="2024-05-12T17:00Z")

    status = console(db, "/alerts status\n", now="2024-05-12T17:10Z")

    assert "Alerts are off" not in status
    assert "NASCAR Cup Series → #race-alerts" in status
    assert "Sun 12 May 2024 18:00 UTC (in 50 minutes) · 1h before Goodyear 400" in status


def test_a_restart_after_the_reminder_time_posts_it_late_then_records_a_missed_one(tmp_path: Path) -> None:
    """The README's walk-through: set up at 17:00, "down" over the 18:00 reminder, back at 18:20 and later."""
    db = tmp_path / "console.db"
    setup = console(db, "/alerts setup channel:#race-alerts leads:1h\n", now="2024-05-12T17:00Z")
    assert "│ Sun 12 May 2024 18:00 UTC (in 1 hour) · 1h before Goodyear 400         │" in setup

    late = console(db, "/alerts status\n", now="2024-05-12T18:20Z")
    assert late.startswith("#race-alerts\n🏁 Goodyear 400 at Darlington Raceway starts in 40 minutes.\n")
    assert "│ Posted late: the bot was offline at the reminder time.                       │" in late
    assert "│ Sun 12 May 2024 18:00 UTC · 2024 Goodyear 400 1h reminder: sent (late) │" in late

    again = console(db, "/alerts status\n", now="2024-05-12T18:25Z")
    assert "Posted late" not in again  # posted once: the delivery ledger remembers it across starts

    missed = console(db, "/alerts status\n", now="2024-05-19T23:40Z")
    assert "starts in" not in missed
    assert "│ Sun 19 May 2024 23:00 UTC · 2024 NASCAR All-Star Race 1h reminder: missed —  │" in missed
    assert "│ the bot was offline at the reminder time and it was too late to be useful    │" in missed


def test_the_trivia_leaderboard_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    played = console(db, "/trivia play questions:1\n1\n:wait 30s\n", now="2024-05-06T16:00Z", persona="fan")
    assert "Final standings" in played

    board = console(db, "/trivia leaderboard\n", now="2024-05-06T17:00Z")

    assert "Trivia leaderboard" in board
    assert "@fan" in board and "/1 right" in board


def test_the_server_ids_are_kept_in_the_database_and_the_same_every_start(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    console(db, "/ping\n", now="2024-05-06T16:00Z")
    first = stored_ids(db)

    console(db, "/ping\n", now="2030-01-01T00:00Z")

    assert stored_ids(db) == first
    assert '"race-alerts"' in first and '"fan"' in first


def test_ids_that_no_longer_match_are_said_and_replaced(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    console(db, "/ping\n", now="2024-05-06T16:00Z")
    good = stored_ids(db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE bot_state SET value = replace(value, '\"fan\":', '\"someone\":') WHERE key = ?", (PERSIST_KEY,)
        )

    out = console(db, "/ping\n", now="2024-05-06T16:00Z")

    assert " ".join(out.split()).startswith(" ".join(IDS_CHANGED.split()))
    assert stored_ids(db) == good


def test_an_unreadable_saved_value_is_replaced_without_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    console(db, "/ping\n", now="2024-05-06T16:00Z")
    good = stored_ids(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE bot_state SET value = 'not json' WHERE key = ?", (PERSIST_KEY,))

    console(db, "/ping\n", now="2024-05-06T16:00Z")

    assert stored_ids(db) == good
