"""Retry a ledger write that met a locked database within seconds, instead of waiting for the next re-plan.

Another process (a second bot, a backup, `photofinish data load`) can hold the write lock past our
busy timeout. At fire time that must cost seconds, not the 5-minute re-plan: a reminder with a short
lead would otherwise be recorded as missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from db.storage.database import DatabaseBusy

log = logging.getLogger(__name__)

T = TypeVar("T")
BACKOFF_S = (1.0, 2.0, 4.0, 8.0)
BACKOFF_CAP_S = 15.0


def backoff(attempt: int) -> float:
    return BACKOFF_S[attempt] if attempt < len(BACKOFF_S) else BACKOFF_CAP_S


async def retry_locked(
    action: Callable[[], Awaitable[T]],
    *,
    what: str,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Run `action` until it gets past a locked database; any other error propagates at once."""
    attempt = 0
    while True:
        try:
            return await action()
        except DatabaseBusy:  # the storage port's word for "another writer holds the lock"
            wait = backoff(attempt)
            log.warning("Database locked during %s; retrying in %.0f s", what, wait)
            attempt += 1
            await sleep(wait)
