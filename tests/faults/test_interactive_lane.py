"""While a fan-out saturates the background budget, interactions still get through at once (over the wire).

The real PhotoFinish, logged in to the fake Discord over HTTP: its RestGate sits in discord.py's session.
Background requests queue at SEND_RATE; a slash command's own REST call and an interaction callback do not
wait behind them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.bot import PhotoFinish
from bot.settings import Settings
from db.storage.backend import open_db
from db.store import Store
from tests.faults.fake_discord import BOT_USER_ID, user_payload
from tests.faults.paced_world import DISCORD_LIMIT, enforcing_fake, traffic

CHANNEL = 20_000_000_000_000_001
BACKGROUND = 150


@pytest.fixture
async def bot(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[PhotoFinish]:
    fake = enforcing_fake()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    async with open_db(db_path) as database:
        bot = PhotoFinish(settings=Settings(_env_file=None), store=Store(database), extensions=(), sync_policy="never")  # type: ignore[call-arg]
        bot.fake = fake  # type: ignore[attr-defined]
        await bot.login("fake.token")
        try:
            yield bot
        finally:
            await bot.close()
            await fake.stop()


def slash_command_payload(name: str) -> dict[str, object]:
    return {
        "id": "30000000000000001",
        "application_id": str(BOT_USER_ID),
        "type": 2,
        "token": "interaction.token",
        "version": 1,
        "channel_id": str(CHANNEL),
        "user": user_payload(),
        "locale": "en-US",
        "app_permissions": "0",
        "entitlements": [],
        "attachment_size_limit": 10_485_760,
        "authorizing_integration_owners": {},
        "data": {"id": "40000000000000001", "name": name, "type": 1},
    }


async def test_a_command_and_its_answer_do_not_wait_behind_a_saturated_fan_out(bot: PhotoFinish) -> None:
    gate = bot.rest_gate
    fetched: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    @bot.tree.command(name="probe")
    async def probe(interaction: discord.Interaction) -> None:
        started = time.perf_counter()
        await bot.fetch_channel(CHANNEL)  # a command's own REST call
        fetched.set_result(time.perf_counter() - started)

    background = [asyncio.create_task(bot.fetch_channel(CHANNEL + 10 * n)) for n in range(BACKGROUND)]
    await asyncio.sleep(1.0)  # the background queue is now seconds long
    assert sum(task.done() for task in background) < BACKGROUND / 2

    bot._connection.parsers["INTERACTION_CREATE"](slash_command_payload("probe"))  # as the gateway delivers it
    command_wait = await asyncio.wait_for(fetched, 5)
    session = bot.http._HTTPClient__session  # type: ignore[attr-defined]
    started = time.perf_counter()
    async with session.post(f"{discord.http.Route.BASE}/interactions/1/tok/callback", json={"type": 5}) as answer:
        assert answer.status == 204
    callback_wait = time.perf_counter() - started
    still_queued = BACKGROUND - sum(task.done() for task in background)

    await asyncio.gather(*background)
    seen = traffic(bot.fake)  # type: ignore[attr-defined]
    print(f"\ncommand fetch {command_wait * 1000:.0f} ms, callback {callback_wait * 1000:.0f} ms, {seen.line()}")
    assert still_queued > 20  # the background budget was still saturated when both went through
    assert command_wait < 0.25  # behind at most a slot or two, not the background queue
    assert callback_wait < 0.25
    assert gate.stats.exempt >= 1
    assert seen.over_limit == 0 and seen.max_per_window <= DISCORD_LIMIT
