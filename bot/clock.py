"""The bot's idea of "now": the system clock in production, a virtual one in the console and tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse_instant(text: str) -> dt.datetime:
    """ISO 8601 with 'Z' or an offset; a naive value is taken as UTC."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class VirtualClock:
    """Starts at a chosen instant and follows a driver's clock (simcord's virtual time) once attached."""

    def __init__(self, start: dt.datetime) -> None:
        self._start = start
        self._base: Clock | None = None
        self._epoch: dt.datetime | None = None

    def attach(self, base: Clock) -> None:
        self._base = base
        self._epoch = base()

    def __call__(self) -> dt.datetime:
        if self._base is None or self._epoch is None:
            return self._start
        return self._start + (self._base() - self._epoch)
