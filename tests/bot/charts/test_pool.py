"""The chart renderer: drawn in a worker process, cached by data version, shared while in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.charts.pool import ChartRenderer, ChartUnavailable
from bot.charts.specs import Line, ProgressionChart
from tests.bot.charts.png import assert_chart_png

SPEC = ProgressionChart("Points", (Line("A", ((1, 10), (2, 30))), Line("B", ((1, 5), (2, 25)))), None, None, "s")
OTHER = ProgressionChart("Points", (Line("C", ((1, 1), (2, 2))),), None, None, "s")


class CountingRenderer(ChartRenderer):
    """Counts the draws that reach the worker process (the cache must keep repeats away from it)."""

    def __init__(self) -> None:
        super().__init__()
        self.draws = 0

    async def _draw(self, spec):  # type: ignore[no-untyped-def]
        self.draws += 1
        return await super()._draw(spec)


@pytest.fixture
async def renderer() -> AsyncIterator[CountingRenderer]:
    chart = CountingRenderer()
    yield chart
    await chart.close()


async def test_a_chart_is_drawn_in_a_worker_process_not_started_before_first_use(renderer: CountingRenderer) -> None:
    assert not renderer.started

    png = await renderer.render("a", SPEC, version=1)

    assert_chart_png(png)
    assert renderer.started and renderer.draws == 1


async def test_the_same_chart_and_data_version_comes_from_the_cache(renderer: CountingRenderer) -> None:
    first = await renderer.render("a", SPEC, version=1)

    again = await renderer.render("a", SPEC, version=1)

    assert again == first and renderer.draws == 1
    assert renderer.cached("a", version=1) == first


async def test_a_new_data_version_draws_again(renderer: CountingRenderer) -> None:
    await renderer.render("a", SPEC, version=1)

    await renderer.render("a", OTHER, version=2)

    assert renderer.draws == 2 and renderer.cached("a", version=1) is None


async def test_two_requests_for_one_chart_share_one_draw(renderer: CountingRenderer) -> None:
    pngs = await asyncio.gather(*(renderer.render("a", SPEC, version=1) for _ in range(3)))

    assert renderer.draws == 1 and len(set(pngs)) == 1


async def test_after_close_charts_are_unavailable(renderer: CountingRenderer) -> None:
    await renderer.close()

    with pytest.raises(ChartUnavailable):
        await renderer.render("a", SPEC, version=1)
