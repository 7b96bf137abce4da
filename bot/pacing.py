"""One pacing budget for every REST request the process makes, enforced where requests leave.

Discord allows 50 requests per second per bot token. Pacing only our first sends was not enough
(issue 12): discord.py's own retries, the burst it releases when its global lock lifts, channel
fetches and history reads all went past it, 90-114 requests in one second. The gate sits inside
discord.py's aiohttp session (`discord.Client(http_trace=gate.trace_config())`): `on_request_start`
waits for a slot before a request goes on the wire, so every retry passes it again.

- Spacing, not a bucket: a request leaves at least `interval` after the previous one, timed when it
  actually leaves, so a stalled loop or a lifted lock never lets a queue out at once.
- `interval` keeps `rate` requests in any (1 + margin) s: Discord counts 1 s windows by arrival, and
  the margin absorbs up to that much jitter between our clock and its.
- Two lanes: background work (fan-out, syncs) is also held to `background_interval`, leaving headroom,
  and waits in its own queue first, so an interactive request is never behind more than one slot.
- Interaction callbacks and follow-ups on the interaction webhook are outside the global limit and
  never wait. Requests that are not to the REST API (the gateway, the CDN) are not counted.
- A global 429 pauses all budgeted traffic for its retry_after; it then resumes at the paced rate.
  A per-route 429 is discord.py's business (it retries, and the retry passes the gate again).
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Literal, TypeVar

import aiohttp

from bot.shards import Shards

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

DISCORD_GLOBAL_RATE = 50  # requests per second per bot token, across all routes
WINDOW_MARGIN = 0.1  # `rate` requests in any 1.1 s: up to 100 ms of jitter cannot make 51 in Discord's second
INTERACTIVE_FOR = 10.0  # seconds after an interaction arrives during which the work it started is interactive
DEFAULT_RETRY_AFTER = 1.0  # a global 429 without a usable Retry-After header

Lane = Literal["interactive", "background"]

# Interaction callbacks and the interaction webhook (follow-ups, edits of the original response) are
# token-authenticated and not bound to the bot's global rate limit.
_EXEMPT = re.compile(r"/api(?:/v\d+)?/(?:interactions/\d+/[^/]+/callback|webhooks/\d+/[^/]+(?:/.*)?)$")
_interactive_until: ContextVar[float | None] = ContextVar("photofinish_interactive_until", default=None)

T = TypeVar("T")


def budgeted(path: str) -> bool:
    """Whether a request to this URL path counts against the bot's global REST budget."""
    return path.startswith("/api/") and _EXEMPT.match(path) is None


@dataclass
class PacingStats:
    sent: int = 0  # budgeted requests let through
    exempt: int = 0  # interaction answers and non-REST requests (gateway, CDN), never held
    waited: int = 0  # budgeted requests that had to wait for a slot
    wait_s: float = 0.0
    global_429: int = 0
    route_429: int = 0
    server_errors: int = 0


class RestGate:
    """The process's REST budget; clock and sleep are injectable for tests."""

    def __init__(
        self,
        rate: float = DISCORD_GLOBAL_RATE,
        *,
        background_rate: float | None = None,
        margin: float = WINDOW_MARGIN,
        monotonic: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        self._margin = margin
        self.rescale(rate, background_rate)
        # Looked up at call time by default, so a simulated clock patched into `time` is seen.
        self._monotonic = monotonic or (lambda: time.monotonic())
        self._sleep = sleep or asyncio.sleep
        self._last = -math.inf  # when the last budgeted request left
        self._last_background = -math.inf
        self._paused_from = self._paused_until = 0.0  # a pause of no length
        self._turn = asyncio.Lock()  # one request at a time waits for the next slot
        self._background_queue = asyncio.Lock()  # so at most one background request is ahead of an interactive one
        self.stats = PacingStats()

    def rescale(self, rate: float, background_rate: float | None = None) -> None:
        """Set the rates (a process with SHARD_IDS=auto learns its share only once it has taken its shards)."""
        if rate <= 0 or (background_rate is not None and background_rate <= 0):
            raise ValueError("rates must be positive")
        self.interval = (1 + self._margin) / rate
        self.background_interval = max(self.interval, 1 / background_rate if background_rate else 0.0)

    def now(self) -> float:
        return self._monotonic()

    def lane(self) -> Lane:
        """Interactive while the current task's context came from an interaction in the last few seconds."""
        until = _interactive_until.get()
        return "interactive" if until is not None and self.now() < until else "background"

    async def acquire(self, lane: Lane | None = None) -> None:
        """Wait until one more budgeted request may leave now, and count it as left."""
        started = self.now()
        if (lane or self.lane()) == "background":
            async with self._background_queue:
                slept = await self._wait_for(self._last_background, self.background_interval)
                slept = await self._take_turn(background=True) or slept
        else:
            slept = await self._take_turn(background=False)
        if slept:
            self.stats.waited += 1
            self.stats.wait_s += self.now() - started

    async def _take_turn(self, *, background: bool) -> bool:
        async with self._turn:
            slept = await self._wait_for(self._last, self.interval)
            # Nothing awaits between the last check and here: a cancelled waiter never takes a slot.
            now = self.now()
            self._last = now
            if background:
                self._last_background = now
            self.stats.sent += 1
            return slept

    async def _wait_for(self, last: float, interval: float) -> bool:
        """Sleep until the lane's next slot and the end of any pause; whether it had to."""
        # Nobody else can take this lane's slot while we hold its lock, so the spacing deadline is fixed;
        # clamped so that a clock stepping back (simulated time) cannot stall the gate.
        slot = min(last + interval, self.now() + interval)
        slept = False
        # The pause is re-read after every sleep: a global 429 may have come in meanwhile.
        while (delay := max(slot - self.now(), self._pause_left())) > 0:
            await self._sleep(delay)
            slept = True
        return slept

    def _pause_left(self) -> float:
        now = self.now()
        if now < self._paused_from:  # the clock stepped back: keep the pause's length, not its end
            length = self._paused_until - self._paused_from
            self._paused_from, self._paused_until = now, now + length
        return self._paused_until - now

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from an answer: a global 429 pauses every budgeted request for its retry_after."""
        if status >= 500:
            self.stats.server_errors += 1
        if status != 429:
            return
        is_global = headers.get("X-RateLimit-Global", "").lower() == "true" or (
            headers.get("X-RateLimit-Scope", "").lower() == "global"
        )
        # Without a Via header a 429 comes from Cloudflare, not the API: treat it as global too.
        if not (is_global or "Via" not in headers):
            self.stats.route_429 += 1
            return
        self.stats.global_429 += 1
        retry_after = _retry_after(headers)
        now = self.now()
        if now + retry_after > self._paused_until:
            self._paused_from, self._paused_until = now, now + retry_after
        log.warning("Global rate limit hit: all REST requests wait %.2f s (%s)", retry_after, self.stats)

    def trace_config(self) -> aiohttp.TraceConfig:
        """The hooks to give discord.py's session: `discord.Client(..., http_trace=gate.trace_config())`."""
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._on_request_start)
        config.on_request_end.append(self._on_request_end)
        return config

    async def _on_request_start(
        self, _session: aiohttp.ClientSession, _ctx: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        if budgeted(params.url.path):
            await self.acquire()
        else:
            self.stats.exempt += 1

    async def _on_request_end(
        self, _session: aiohttp.ClientSession, _ctx: SimpleNamespace, params: aiohttp.TraceRequestEndParams
    ) -> None:
        self.observe(params.response.status, params.response.headers)


def gate_for(settings: Settings, shards: Shards | None = None) -> RestGate:
    """The process's gate: REST_RATE in total, SEND_RATE for background work, times this process's share.

    All shards share the bot token's 50/s, so a process paces at shards held / SHARD_COUNT of it
    (bot/shards.py); behind a shared rate-limit proxy every process may be given the whole budget instead."""
    gate = RestGate(settings.rest_rate, background_rate=settings.send_rate)
    share_budget(gate, settings, shards or Shards.of(settings))
    return gate


def share_budget(gate: RestGate, settings: Settings, shards: Shards) -> None:
    """Pace at this process's share; a process that holds no shard yet (a hot standby) at one shard's."""
    share = shards.share() or 1 / shards.count
    gate.rescale(settings.rest_rate * share, background_rate=settings.send_rate * share)


def interactive_for_interactions(parsers: MutableMapping[str, Callable[[T], None]], gate: RestGate) -> None:
    """Make work started by an interaction take the interactive lane for INTERACTIVE_FOR seconds.

    discord.py creates the command, button and modal tasks while parsing INTERACTION_CREATE, and a task
    copies the context it was created in; the deadline keeps work that outlives the answer (a fan-out
    after `/alerts setup`, a timer armed from a command) from staying interactive."""
    parse = parsers["INTERACTION_CREATE"]

    def parse_interactive(data: T) -> None:
        token = _interactive_until.set(gate.now() + INTERACTIVE_FOR)
        try:
            parse(data)
        finally:
            _interactive_until.reset(token)

    parsers["INTERACTION_CREATE"] = parse_interactive


def _retry_after(headers: Mapping[str, str]) -> float:
    for name in ("Retry-After", "X-RateLimit-Reset-After"):
        try:
            value = float(headers.get(name, ""))
        except ValueError:
            continue
        if value > 0:
            return value
    return DEFAULT_RETRY_AFTER
