"""Quote search answers the same on both backends: FTS5's unicode61 words and PostgreSQL's 'simple' + unaccent."""

from __future__ import annotations

from pathlib import Path

from db.repos.quotes import QuoteStore
from db.storage.backend import Backend, open_db
from tests.pg_support import fresh_schema, require_postgres

QUOTES = (
    ("Ça, c'était une course incroyable à Daytona", "after the Daytona 500"),
    ("We didn't have the car today; we'll be back", None),
    ("Hard-fought win, the team never gave up", "victory lane"),
    ("FOUR-WIDE at Talladega, wild finish!", "Talladega Superspeedway"),
    ("The #24 team built a rocket ship", None),
    ("Niño said it sucks to be that close", "pit road"),
    ("Rain, rain and more rain at Martinsville", None),
)
SEARCHES = (
    "daytona",
    "DAYTONA",
    "etait",
    "était",
    "ca",
    "didn't",
    "didn",
    "t",
    "hard fought",
    "fought hard",
    "four-wide",
    "wide",
    "24",
    "#24 team",
    "nino",
    "niño close",
    "sucks be",
    "rain",
    "rain martinsville",
    "pit",
    "victory",
    "lane victory",
    "talladega superspeedway",
    "superspeed",  # a prefix is not a word: neither backend matches it
    "zzz",
    "'",
    "a OR b",
    "NEAR(x y)",
    'say "hi"',
)


async def _fill(db: Backend) -> None:
    await db.execute("INSERT INTO sources (key, title) VALUES ('s', 'Source')")
    await db.execute("INSERT INTO drivers (id, name, name_norm) VALUES (1, 'Driver', 'driver')")
    for n, (text, context) in enumerate(QUOTES, start=1):
        await db.execute(
            "INSERT INTO quotes (id, text, speaker_id, context, source) VALUES (?, ?, 1, ?, 's')", (n, text, context)
        )


async def _answers(db: Backend) -> dict[str, list[int]]:
    store = QuoteStore(db)
    return {s: sorted(q.id for q in await store.find_quotes(search=s, limit=100)) for s in SEARCHES}


async def test_quote_search_finds_the_same_quotes_on_both_backends(tmp_path: Path) -> None:
    url = require_postgres()
    async with open_db(tmp_path / "a.db") as lite:
        await _fill(lite)
        expected = await _answers(lite)
    async with fresh_schema(url) as schema, open_db(url, schema=schema) as pg:
        await _fill(pg)
        found = await _answers(pg)
    assert found == expected
    assert expected["daytona"] == [1] and expected["etait"] == [1] and expected["nino"] == [6]  # accents fold
