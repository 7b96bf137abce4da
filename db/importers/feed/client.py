"""Fetching the feed: an injected `fetch_json(url) -> FeedResponse`; the real one is a polite aiohttp client.

Missing data looks like success on this CDN (HTTP 200 with `null`), or like a 403 for years it does
not keep; callers treat both as "not available". Retries happen on 429 and 5xx only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

USER_AGENT = "PhotoFinish/0.1 (self-hosted Discord bot for NASCAR race facts)"
SERIES_IDS: dict[str, int] = {"cup": 1, "xfinity": 2, "truck": 3}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FeedResponse:
    status: int
    body: Any  # parsed JSON (None for `null` or when there was no JSON)
    raw: bytes = b""

    @property
    def available(self) -> bool:
        return self.status == 200 and self.body is not None


FetchJson = Callable[[str], Awaitable[FeedResponse]]


def race_list_url(base: str, season: int) -> str:
    return f"{base.rstrip('/')}/cacher/{season}/race_list_basic.json"


def series_race_list_url(base: str, season: int, series_id: int) -> str:
    return f"{base.rstrip('/')}/cacher/{season}/{series_id}/race_list_basic.json"


def weekend_feed_url(base: str, season: int, series_id: int, race_id: int) -> str:
    return f"{base.rstrip('/')}/cacher/{season}/{series_id}/{race_id}/weekend-feed.json"


def decode(status: int, raw: bytes) -> FeedResponse:
    """A response as the sync sees it; a 200 whose body is not JSON counts as not available."""
    body: Any = None
    if status == 200 and raw:
        try:
            body = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("Feed answered 200 with a body that is not JSON (%d bytes)", len(raw))
    return FeedResponse(status=status, body=body, raw=raw)


class HttpFetcher:
    """aiohttp client for the feed: a User-Agent, about one request per second, retries on 429/5xx."""

    def __init__(
        self, *, min_interval_s: float = 1.0, retries: int = 3, backoff_s: float = 1.0, timeout_s: float = 30.0
    ) -> None:
        self._min_interval = min_interval_s
        self._backoff = backoff_s
        self._retries = retries
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._lock = asyncio.Lock()
        self._last_request = 0.0

    async def __aenter__(self) -> HttpFetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _pace(self) -> None:
        wait = self._last_request + self._min_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_request = time.monotonic()

    async def __call__(self, url: str) -> FeedResponse:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}, timeout=self._timeout)
        async with self._lock:  # one request at a time keeps the pace honest
            for attempt in range(self._retries + 1):
                await self._pace()
                try:
                    async with self._session.get(url) as response:
                        raw = await response.read()
                        status = response.status
                        retry_after = response.headers.get("Retry-After")
                except (aiohttp.ClientError, TimeoutError) as error:
                    if attempt == self._retries:
                        raise
                    log.info("Feed request failed (%s); retrying %s", error, url)
                    await asyncio.sleep(self._backoff * 2**attempt)
                    continue
                if status in RETRY_STATUSES and attempt < self._retries:
                    delay = float(retry_after) if retry_after and retry_after.isdigit() else self._backoff * 2**attempt
                    log.info("Feed answered %d; retrying %s in %.0f s", status, url, delay)
                    await asyncio.sleep(min(delay, 60.0))
                    continue
                return decode(status, raw)
        raise AssertionError("unreachable")
