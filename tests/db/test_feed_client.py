"""The real feed client against a local aiohttp server: User-Agent, retries on 429/5xx, none on 403/404."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from db.importers.feed.client import USER_AGENT, HttpFetcher


class Script:
    """Answers each request with the next (status, body) and records what it saw."""

    def __init__(self, answers: list[tuple[int, str]]) -> None:
        self.answers = answers
        self.agents: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.agents.append(request.headers.get("User-Agent", ""))
        status, body = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return web.Response(status=status, text=body, content_type="application/json")


@pytest.fixture
async def serve() -> AsyncIterator[object]:
    servers: list[TestServer] = []

    async def start(script: Script) -> str:
        app = web.Application()
        app.router.add_get("/{tail:.*}", script.handle)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("/cacher/2030/race_list_basic.json"))

    yield start
    for server in servers:
        await server.close()


def fetcher() -> HttpFetcher:
    return HttpFetcher(min_interval_s=0, backoff_s=0.01, retries=2)


async def test_retries_server_errors_then_returns_the_body(serve) -> None:  # type: ignore[no-untyped-def]
    script = Script([(503, ""), (429, ""), (200, '{"series_1": []}')])
    async with fetcher() as fetch:
        response = await fetch(await serve(script))
    assert (response.status, response.body, len(script.agents)) == (200, {"series_1": []}, 3)


@pytest.mark.parametrize("status", [403, 404])
async def test_refusals_are_not_retried(serve, status: int) -> None:  # type: ignore[no-untyped-def]
    script = Script([(status, "<Error/>")])
    async with fetcher() as fetch:
        response = await fetch(await serve(script))
    assert (response.status, response.available, len(script.agents)) == (status, False, 1)


async def test_null_body_is_not_available(serve) -> None:  # type: ignore[no-untyped-def]
    async with fetcher() as fetch:
        response = await fetch(await serve(Script([(200, "null")])))
    assert (response.status, response.available) == (200, False)


async def test_sends_our_user_agent(serve) -> None:  # type: ignore[no-untyped-def]
    script = Script([(200, "[]")])
    async with fetcher() as fetch:
        await fetch(await serve(script))
    assert script.agents == [USER_AGENT]
