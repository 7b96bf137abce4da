"""Render charts off the event loop, in a small process pool, and keep the PNGs until the data changes.

Why a process and not a thread: drawing a chart is ~100–400 ms of pure-Python matplotlib work that
holds the GIL, so a thread would stall the event loop (heartbeats, every other interaction) just the
same (bench/charts.py measures both). The pool is started on the first render, not at import or
startup, so a bot that never draws pays nothing; `close()` shuts it down with the bot.

PNGs are cached by (chart key, data version): the first request after a data change redraws, every
other request is a dictionary look-up. Two requests for the same chart while it renders share one
render.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections import OrderedDict
from collections.abc import Hashable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.charts.render import render_png
from bot.charts.specs import ChartSpec

log = logging.getLogger(__name__)

RENDER_TIMEOUT_S = 20.0


class ChartUnavailable(Exception):
    """The chart could not be drawn (worker died, timed out, closed); the answer goes out without it."""


class ChartRenderer:
    def __init__(self, *, workers: int = 1, cache_size: int = 64) -> None:
        # The bot's machine has 2 cores: one worker leaves the other to the event loop.
        self._workers = workers
        self._cache_size = cache_size
        self._pool: Executor | None = None
        self._cache: OrderedDict[Hashable, bytes] = OrderedDict()
        self._version: int | None = None
        self._inflight: dict[Hashable, asyncio.Future[bytes]] = {}
        self._closed = False

    @property
    def started(self) -> bool:
        return self._pool is not None

    def cached(self, key: Hashable, *, version: int) -> bytes | None:
        if version != self._version:
            return None
        png = self._cache.get(key)
        if png is not None:
            self._cache.move_to_end(key)
        return png

    async def render(self, key: Hashable, spec: ChartSpec, *, version: int) -> bytes:
        """The chart's PNG for this data version: from the cache, or drawn in the worker process."""
        if self._closed:
            raise ChartUnavailable("the chart renderer is closed")
        if version != self._version:
            self._cache.clear()
            self._version = version
        png = self.cached(key, version=version)
        if png is not None:
            return png
        token = (key, version)
        pending = self._inflight.get(token)
        if pending is None:
            pending = asyncio.ensure_future(self._draw(spec))
            self._inflight[token] = pending
            pending.add_done_callback(lambda _: self._inflight.pop(token, None))
        png = await asyncio.shield(pending)
        if version == self._version:
            self._cache[key] = png
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return png

    async def _draw(self, spec: ChartSpec) -> bytes:
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._ensure_pool(), render_png, spec)
            return await asyncio.wait_for(future, RENDER_TIMEOUT_S)
        except BrokenProcessPool as error:
            log.warning("Chart worker died; a new one starts with the next chart")
            self._pool = None
            raise ChartUnavailable("the chart worker stopped") from error
        except TimeoutError as error:
            raise ChartUnavailable("the chart took too long to draw") from error

    def _ensure_pool(self) -> Executor:
        if self._pool is None:
            # forkserver, not fork: forking a process that runs an event loop and aiosqlite's thread copies
            # their locks mid-use. The server is a fresh interpreter that imports matplotlib and the
            # renderers once; workers fork from it warm. (Like spawn, it imports the main module again,
            # so the program's entry point must keep its `if __name__ == "__main__"` guard; ours do.)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["bot.charts.render"])
            self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=context)
            log.info("Chart renderer started (%d worker process)", self._workers)
        return self._pool

    async def close(self) -> None:
        """Stop the worker (without blocking the loop); later renders raise ChartUnavailable."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
