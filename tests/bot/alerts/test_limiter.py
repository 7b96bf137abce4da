"""The fan-out limiter paces to its rate with an injected clock (no real waiting)."""

from __future__ import annotations

import pytest

from bot.alerts.limiter import TokenBucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_sends_beyond_the_burst_are_spaced_at_the_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(40, burst=2, monotonic=time.monotonic, sleep=time.sleep)

    for _ in range(42):
        await bucket.acquire()

    assert time.now == pytest.approx(1.0)  # 2 at once, then 40 more at 40 per second


async def test_a_clock_stepping_back_does_not_drain_or_overfill_the_bucket() -> None:
    time = FakeTime()
    time.now = 100.0
    bucket = TokenBucket(10, burst=1, monotonic=time.monotonic, sleep=time.sleep)
    await bucket.acquire()

    time.now = 5.0  # simulated time restarted
    await bucket.acquire()

    assert time.slept == [0.1]
