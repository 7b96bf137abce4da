"""Pacing for senders that bypass discord.py's HTTP session (test fakes, benchmarks).

The bot's own budget for every REST request is bot/pacing.py's RestGate, inside discord.py's session;
the alert service uses one of these only when given it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

DISCORD_GLOBAL_RATE = 50  # requests per second per bot, across all routes


class Limiter(Protocol):
    async def acquire(self) -> None: ...


class TokenBucket:
    """`rate` sends per second on average, at most `burst` at once; clock and sleep are injectable."""

    def __init__(
        self,
        rate: float,
        *,
        burst: float | None = None,
        monotonic: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        # Looked up at call time by default, so a simulated clock patched into `time` (simcord) is seen.
        self._monotonic = monotonic or (lambda: time.monotonic())
        self._sleep = sleep or asyncio.sleep
        self._tokens = self.burst
        self._last = self._monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        # A clock that stepped back (simulated time in tests) must not drain the bucket.
        elapsed = max(0.0, now - self._last)
        self._last = now
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)

    async def acquire(self) -> None:
        # The lock makes waiters queue in order instead of all waking for the same token.
        async with self._lock:
            self._refill()
            # The tolerance stops float rounding (0.999…) from asking for ever-smaller sleeps.
            while self._tokens < 1 - 1e-9:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens = max(0.0, self._tokens - 1)


class Unlimited:
    """No pacing (unit tests of the sender; benchmarks of the rest)."""

    async def acquire(self) -> None:
        return None
