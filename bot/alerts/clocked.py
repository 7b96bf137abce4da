"""APScheduler 3.x's AsyncIOScheduler, reading "now" from the bot's clock instead of the wall clock.

Why: APScheduler decides which jobs are due with `datetime.now()` and waits with `loop.call_later`.
In production both follow the wall clock. In tests and the console the bot's clock (`bot.clock()`)
follows simcord's virtual time, and simcord virtualises loop timers but not `datetime.now()`: a plain
scheduler would wake at the virtual instant, see a wall clock that has not moved, and never run the job
(we checked: a date job one hour ahead never fires across `env.advance_time(3700)`). Translating run
dates into the wall clock cannot help for the same reason.

So this subclass sets a context variable with its clock while it looks for due jobs, and the two
APScheduler modules that call `datetime.now()` get a `datetime` whose `now()` reads that variable,
falling back to the real clock everywhere else (other schedulers, other code). Job tasks are created
inside that context, so APScheduler's misfire check in the executor uses the same clock. With the
system clock (production) nothing is patched at all.

This leans on APScheduler's internals, so the version is pinned exactly in pyproject.toml and `_install`
refuses to run, loudly, when the names it patches are not where 3.11 keeps them
(tests/bot/alerts/test_clocked.py checks both).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable

import apscheduler.executors.base as _executors_base
import apscheduler.schedulers.base as _schedulers_base
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import system_clock

Clock = Callable[[], dt.datetime]

_SCHEDULER_CLOCK: contextvars.ContextVar[Clock | None] = contextvars.ContextVar("scheduler_clock", default=None)


class _ClockedDatetime(dt.datetime):
    """`datetime` whose now() follows the scheduler clock in effect, else the real clock."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        clock = _SCHEDULER_CLOCK.get()
        if clock is None:
            return dt.datetime.now(tz)
        current = clock()
        return current.astimezone(tz) if tz is not None else current.astimezone().replace(tzinfo=None)


PATCHED_MODULES = (_schedulers_base, _executors_base)


def _install() -> None:
    # Both modules only ever call `datetime.now(...)` through this name (APScheduler 3.11).
    for module in PATCHED_MODULES:
        if getattr(module, "datetime", None) not in (dt.datetime, _ClockedDatetime):
            raise RuntimeError(
                f"{module.__name__} no longer imports `datetime` by that name: this APScheduler release is not "
                "the one bot/alerts/clocked.py was written for, and a virtual clock would silently never fire"
            )
    for module in PATCHED_MODULES:
        module.datetime = _ClockedDatetime


class ClockedScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """An AsyncIOScheduler (in-memory job store) whose "now" is `clock()`."""

    def __init__(self, clock: Clock, **options: object) -> None:
        if clock is not system_clock:
            _install()
        super().__init__(timezone=dt.UTC, **options)
        self._clock = clock
        self._home: contextvars.Context | None = None

    def start(self, paused: bool = False) -> None:
        # Timers and job tasks belong to whoever started the scheduler (the bot), not to whoever last
        # called add_job: under simcord only the bot's own timers follow virtual time.
        self._home = contextvars.copy_context()
        super().start(paused)

    def wakeup(self) -> None:
        if self._home is None:
            super().wakeup()
        else:
            self._home.run(super().wakeup)

    def _start_timer(self, wait_seconds: float | None) -> None:
        if self._home is None:
            super()._start_timer(wait_seconds)
        else:
            self._home.run(super()._start_timer, wait_seconds)

    def _process_jobs(self) -> float | None:
        token = _SCHEDULER_CLOCK.set(self._clock)
        try:
            return super()._process_jobs()  # type: ignore[no-any-return]
        finally:
            _SCHEDULER_CLOCK.reset(token)

    def add_job(self, *args: object, **kwargs: object) -> Job:
        token = _SCHEDULER_CLOCK.set(self._clock)
        try:
            job: Job = super().add_job(*args, **kwargs)
            return job
        finally:
            _SCHEDULER_CLOCK.reset(token)
