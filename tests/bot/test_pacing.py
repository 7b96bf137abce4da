"""The REST gate, on a virtual clock: spacing per window, lanes, global 429 pauses, exempt routes, cancellation."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from types import SimpleNamespace

import aiohttp
import pytest
from multidict import CIMultiDict
from yarl import URL

from bot.pacing import INTERACTIVE_FOR, Lane, RestGate, budgeted, gate_for, interactive_for_interactions
from bot.settings import Settings

GLOBAL_429 = {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global", "Retry-After": "1", "Via": "1.1 google"}


class VirtualTime:
    """A clock that only moves when every task is waiting on it: sleeps wake in deadline order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), future))
        await future

    async def settle(self) -> None:
        for _ in range(20):
            await asyncio.sleep(0)

    async def run(self, until: float | None = None) -> None:
        """Advance to each deadline in turn until nobody sleeps (or the next deadline is past `until`)."""
        await self.settle()
        while self._sleepers and (until is None or self._sleepers[0][0] <= until):
            deadline, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, deadline)
            if not future.done():
                future.set_result(None)
            await self.settle()
        if until is not None:
            self.now = max(self.now, until)
            await self.settle()


def gate_on(clock: VirtualTime, rate: float = 50, background_rate: float | None = None) -> RestGate:
    return RestGate(rate, background_rate=background_rate, monotonic=clock.monotonic, sleep=clock.sleep)


def start(gate: RestGate, clock: VirtualTime, left: list[float], lane: Lane = "background") -> asyncio.Task[None]:
    async def request() -> None:
        await gate.acquire(lane)
        left.append(clock.now)

    return asyncio.create_task(request())


def most_in_any_window(times: list[float], width: float) -> int:
    times = sorted(times)
    return max((sum(1 for t in times[i:] if t < start + width) for i, start in enumerate(times)), default=0)


async def test_no_window_of_one_second_plus_margin_holds_more_than_the_rate() -> None:
    clock = VirtualTime()
    gate = gate_on(clock)
    left: list[float] = []
    for _ in range(200):
        start(gate, clock, left)
    await clock.run()

    assert len(left) == 200
    assert most_in_any_window(left, 1.1 - 1e-9) <= 50
    assert most_in_any_window(left, 1.0) <= 46  # Discord's own 1 s window keeps room for jitter
    assert min(b - a for a, b in itertools.pairwise(left)) == pytest.approx(1.1 / 50)


async def test_background_work_is_held_to_its_own_rate() -> None:
    clock = VirtualTime()
    gate = gate_on(clock, background_rate=40)
    left: list[float] = []
    for _ in range(81):
        start(gate, clock, left)
    await clock.run()

    assert left[-1] == pytest.approx(2.0)  # 80 gaps of 1/40 s
    assert most_in_any_window(left, 1.0 - 1e-9) <= 40


async def test_an_interactive_request_overtakes_a_saturated_background_queue() -> None:
    clock = VirtualTime()
    gate = gate_on(clock, background_rate=45)
    background: list[float] = []
    for _ in range(200):
        start(gate, clock, background)
    await clock.run(until=1.0)
    interactive: list[float] = []
    start(gate, clock, interactive, lane="interactive")
    await clock.run(until=1.1)

    assert len(interactive) == 1
    assert interactive[0] - 1.0 <= gate.interval + 1e-9  # behind at most the one slot being waited for
    await clock.run()
    assert most_in_any_window(background + interactive, 1.1 - 1e-9) <= 50


async def test_a_global_429_pauses_every_request_then_resumes_at_the_paced_rate() -> None:
    clock = VirtualTime()
    gate = gate_on(clock)
    left: list[float] = []
    for _ in range(100):
        start(gate, clock, left)
    await clock.run(until=0.5)
    sent_before = len(left)
    gate.observe(429, GLOBAL_429)
    await clock.run()

    after = left[sent_before:]
    assert after[0] >= 1.5  # nothing left during the pause
    assert min(b - a for a, b in itertools.pairwise(after)) >= gate.interval - 1e-9  # no burst on resume
    assert gate.stats.global_429 == 1


async def test_a_per_route_429_leaves_the_pacing_to_discord_py() -> None:
    clock = VirtualTime()
    gate = gate_on(clock)
    gate.observe(429, {"Retry-After": "5", "X-RateLimit-Scope": "user", "Via": "1.1 google"})
    left: list[float] = []
    start(gate, clock, left)
    await clock.run()

    assert left == [0.0]
    assert (gate.stats.route_429, gate.stats.global_429) == (1, 0)


async def test_a_429_from_cloudflare_without_via_pauses_like_a_global_one() -> None:
    clock = VirtualTime()
    gate = gate_on(clock)
    gate.observe(429, {"Retry-After": "2"})
    left: list[float] = []
    start(gate, clock, left)
    await clock.run()

    assert left == [2.0]


async def test_a_cancelled_waiter_does_not_take_a_slot() -> None:
    clock = VirtualTime()
    gate = gate_on(clock)
    left: list[float] = []
    start(gate, clock, left)
    await clock.settle()
    waiting = start(gate, clock, left)
    await clock.settle()
    waiting.cancel()
    await clock.settle()
    start(gate, clock, left)
    await clock.run()

    assert left == [0.0, pytest.approx(gate.interval)]  # the next request gets the cancelled one's slot
    assert (gate.stats.sent, gate.stats.waited) == (2, 1)
    assert gate.stats.wait_s == pytest.approx(gate.interval)


async def test_a_clock_stepping_back_does_not_stall_the_gate() -> None:
    clock = VirtualTime()
    clock.now = 100.0
    gate = gate_on(clock)
    left: list[float] = []
    start(gate, clock, left)
    await clock.run()
    clock.now = 5.0  # simulated time restarted
    start(gate, clock, left)
    await clock.run()

    assert left[1] < 5.1  # a slot or two of spacing, not the 95 s back to the old reading


@pytest.mark.parametrize(
    ("path", "counted"),
    [
        ("/api/v10/channels/1/messages", True),
        ("/api/v10/channels/1", True),
        ("/api/v10/users/@me", True),
        ("/api/v10/webhooks/5", True),  # a webhook fetched with the bot token
        ("/api/v10/interactions/1/tok.en/callback", False),
        ("/api/v10/webhooks/5/tok.en", False),
        ("/api/v10/webhooks/5/tok.en/messages/@original", False),
        ("/", False),  # the gateway's websocket
        ("/attachments/1/2/chart.png", False),  # the CDN
    ],
)
def test_which_requests_count_against_the_global_budget(path: str, counted: bool) -> None:
    assert budgeted(path) is counted


async def test_an_interaction_callback_never_waits_behind_a_paused_saturated_gate() -> None:
    clock = VirtualTime()
    gate = gate_on(clock, background_rate=45)
    left: list[float] = []
    for _ in range(100):
        start(gate, clock, left)
    gate.observe(429, GLOBAL_429)
    config = gate.trace_config()
    config.freeze()

    async def hook(url: str) -> None:
        params = aiohttp.TraceRequestStartParams("POST", URL(url), CIMultiDict[str]())
        await config.on_request_start.send(None, SimpleNamespace(), params)  # type: ignore[arg-type]

    callback = asyncio.create_task(hook("https://discord.test/api/v10/interactions/1/tok/callback"))
    follow_up = asyncio.create_task(hook("https://discord.test/api/v10/webhooks/2/tok"))
    fetch = asyncio.create_task(hook("https://discord.test/api/v10/channels/3"))
    await clock.settle()

    assert callback.done() and follow_up.done()
    assert not fetch.done()  # a budgeted request does wait out the pause
    assert gate.stats.exempt == 2
    await clock.run()
    assert fetch.done()


async def test_work_started_by_an_interaction_is_interactive_for_a_while() -> None:
    clock = VirtualTime()
    gate = gate_on(clock)
    lanes: list[Lane] = []
    started: list[asyncio.Task[None]] = []

    async def command() -> None:
        lanes.append(gate.lane())
        await clock.sleep(INTERACTIVE_FOR + 1)
        lanes.append(gate.lane())

    def parse_interaction_create(_data: dict[str, object]) -> None:
        started.append(asyncio.create_task(command()))  # as discord.py starts the command's task

    parsers = {"INTERACTION_CREATE": parse_interaction_create}
    interactive_for_interactions(parsers, gate)
    parsers["INTERACTION_CREATE"]({})
    await clock.run()

    assert lanes == ["interactive", "background"]
    assert gate.lane() == "background"  # the gateway's own context is untouched


def test_shard_processes_split_the_tokens_budget() -> None:
    alone = gate_for(Settings(_env_file=None, rest_rate=50, send_rate=40))  # type: ignore[call-arg]
    one_of_four = gate_for(Settings(_env_file=None, rest_rate=50, send_rate=40, shard_count=4, shard_ids=[1]))  # type: ignore[call-arg]

    assert alone.interval == pytest.approx(1.1 / 50) and alone.background_interval == pytest.approx(1 / 40)
    assert one_of_four.interval == pytest.approx(4 * 1.1 / 50) and one_of_four.background_interval == pytest.approx(
        4 / 40
    )
