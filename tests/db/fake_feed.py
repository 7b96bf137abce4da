"""A fake `fetch_json` for the feed tests: URL → fixture file or object; anything else answers 403."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from db.importers.feed.client import FeedResponse, decode

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feed"
BASE = "https://feed.test"


def weekend_url(race_id: int, season: int = 2030, series_id: int = 1) -> str:
    return f"{BASE}/cacher/{season}/{series_id}/{race_id}/weekend-feed.json"


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def official(weekend: Any) -> Any:
    """The same weekend feed after NASCAR finished post-race inspection."""
    changed = copy.deepcopy(weekend)
    changed["weekend_race"][0]["inspection_complete"] = True
    return changed


class FakeFeed:
    def __init__(self, routes: dict[str, Path | Any] | None = None) -> None:
        self.routes: dict[str, Path | Any] = dict(routes or {})
        self.requests: list[str] = []

    async def __call__(self, url: str) -> FeedResponse:
        self.requests.append(url)
        if url not in self.routes:
            return FeedResponse(status=403, body=None, raw=b"<Error>AccessDenied</Error>")
        target = self.routes[url]
        raw = target.read_bytes() if isinstance(target, Path) else json.dumps(target).encode()
        return decode(200, raw)


def synthetic_feed() -> FakeFeed:
    return FakeFeed(
        {
            f"{BASE}/cacher/2030/race_list_basic.json": FIXTURES / "race_list_2030.json",
            weekend_url(9002): FIXTURES / "weekend_9002.json",
            weekend_url(9001): FIXTURES / "weekend_null_race.json",
        }
    )
