"""open_db by DATABASE_URL or by a plain path: which backend, which file, and one line for a bad URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.storage.backend import BadLocation, Location, open_db, parse_location


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("photofinish.db", Location("sqlite", "photofinish.db")),
        ("sqlite:///photofinish.db", Location("sqlite", "photofinish.db")),
        ("sqlite:////srv/pf.db", Location("sqlite", "/srv/pf.db")),
        ("SQLITE:///x.db", Location("sqlite", "x.db")),
        ("postgresql://u:p@h:5432/db", Location("postgres", "postgresql://u:p@h:5432/db")),
        ("postgres://u@h/db", Location("postgres", "postgresql://u@h/db")),
    ],
)
def test_locations(text: str, expected: Location) -> None:
    assert parse_location(text) == expected


@pytest.mark.parametrize("text", ["", "sqlite://x.db", "sqlite:///", "postgresql://", "mysql://u:pw@h/db"])
def test_a_bad_url_is_one_line_without_the_password(text: str) -> None:
    with pytest.raises(BadLocation) as raised:
        parse_location(text)
    assert "\n" not in str(raised.value) and "pw@" not in str(raised.value)


def test_a_postgres_location_prints_without_its_password() -> None:
    assert str(parse_location("postgresql://pf:secret@db:5432/pf")) == "postgresql://pf@db:5432/pf"


async def test_a_sqlite_url_opens_that_file(tmp_path: Path) -> None:
    target = tmp_path / "by-url.db"
    async with open_db(f"sqlite:///{target}") as db:
        assert db.dialect.name == "sqlite"
    assert target.is_file()
