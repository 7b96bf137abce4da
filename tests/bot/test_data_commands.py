"""`photofinish data import-history` through the real CLI: any failure is one line, rc != 0, the database unchanged."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from db.importers.history import HISTORY_URLS

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "sample.csv"


@pytest.fixture
def database(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    return db_path


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_failing(args: list[str], database: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run the CLI; assert it failed with exactly one line on stderr and left the database as it was."""
    before = checksum(database)
    code = main(["data", "import-history", *args])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code != 0
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    assert checksum(database) == before
    return lines[0]


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_no_file_while_offline_is_one_line(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Offline": the table's download address answers nothing (a closed port on loopback, no network).
    monkeypatch.setitem(HISTORY_URLS, "cup", f"http://127.0.0.1:{closed_port()}/cup_series.csv")

    line = run_failing([], database, capsys)

    assert "cannot download the table" in line and "Give a local file" in line


def test_a_truncated_csv_is_one_line(database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    cut = tmp_path / "cup_series.csv"
    cut.write_text(text[: text.rindex(",Ford,") + 3], encoding="utf-8")  # stops mid-row

    line = run_failing([str(cut)], database, capsys)

    assert "cup_series.csv: line 9 has" in line and "truncated" in line


def test_a_file_named_for_another_series_is_refused(
    database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cup = tmp_path / "cup_series.csv"  # the example: the Cup table given as Xfinity
    cup.write_bytes(SAMPLE.read_bytes())

    line = run_failing([str(cup), "--series", "xfinity"], database, capsys)

    assert "is the NASCAR Cup Series table, not the NASCAR Xfinity Series one: run with --series cup" in line


def test_the_cup_table_given_as_truck_is_refused_by_its_seasons(
    database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A file name that says nothing, and Cup races from a season before the Truck Series began.
    renamed = tmp_path / "history.csv"
    renamed.write_text(SAMPLE.read_text(encoding="utf-8").replace("\n1998,", "\n1988,"), encoding="utf-8")

    line = run_failing([str(renamed), "--series", "truck"], database, capsys)

    assert "1988 is before the NASCAR Craftsman Truck Series began (1995)" in line


@pytest.mark.parametrize("kind", ["missing", "directory", "not text"])
def test_an_unreadable_file_is_one_line(
    database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "cup_series.csv"
    if kind == "directory":
        target.mkdir()
    elif kind == "not text":
        target.write_bytes(SAMPLE.read_bytes().replace(b"Daytona", b"\xff\xfe\x00Daytona"))

    line = run_failing([str(target)], database, capsys)

    assert {"missing": "cannot read the file", "directory": "cannot read the file", "not text": "not UTF-8"}[
        kind
    ] in line


def test_a_good_file_imports_and_prints_its_report(
    database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "cup_series.csv"
    table.write_bytes(SAMPLE.read_bytes())

    assert main(["data", "import-history", str(table)]) == 0
    out = capsys.readouterr().out
    assert "8 rows in 4 races: 4 races added" in out

    assert main(["data", "import-history", str(table)]) == 0
    assert "0 races added, 0 filled in, 0 corrected, 4 unchanged" in capsys.readouterr().out


def test_without_series_the_file_name_decides(
    database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "xfinity_series.csv"
    table.write_bytes((SAMPLE.parent / "xfinity_series.csv").read_bytes())

    count = "SELECT count(*) FROM races WHERE series = ?"
    with sqlite3.connect(database) as db:
        before = {series: db.execute(count, (series,)).fetchone()[0] for series in ("cup", "xfinity")}

    assert main(["data", "import-history", str(table)]) == 0

    with sqlite3.connect(database) as db:
        after = {series: db.execute(count, (series,)).fetchone()[0] for series in ("cup", "xfinity")}
    assert after["xfinity"] == before["xfinity"] + 3
    assert after["cup"] == before["cup"]
