"""Restarts and downtime: a reminder is delivered once or recorded, never twice and never silently lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.alerts.planner import delivery_key, delivery_nonce
from bot.bot import PhotoFinish
from bot.embeds.alerts import reminder_message
from db.models.alerts import Lead
from tests.cogs.alerts_helpers import DARLINGTON_START, bot_posts, darlington, posts_to, restart_at
from tests.conftest import World

FIRE_AT = DARLINGTON_START - dt.timedelta(hours=1)


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2024, 5, 12, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
async def started() -> AsyncIterator[list[PhotoFinish]]:
    bots: list[PhotoFinish] = []
    yield bots
    for bot in bots:
        await bot.close()


async def set_up(world: World) -> tuple[object, str]:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1h")
    race = await darlington(world.bot)
    key = delivery_key("reminder", race.id, DARLINGTON_START, world.guild.id, alerts.id, Lead(60))
    return alerts, key


async def claim(world: World, key: str, channel_id: int) -> None:
    race = await darlington(world.bot)
    claimed = await world.bot.store.alerts.claim_delivery(
        key=key,
        kind="reminder",
        race_id=race.id,
        guild_id=world.guild.id,
        channel_id=channel_id,
        fire_at=FIRE_AT,
        lead=Lead(60),
        now=FIRE_AT,
    )
    assert claimed


async def test_crash_between_claim_and_send_posts_once_with_the_key_nonce(
    world: World, started: list[PhotoFinish]
) -> None:
    alerts, key = await set_up(world)
    await claim(world, key, alerts.id)  # claimed at 18:00, then the process died before posting

    bot = await restart_at(world, FIRE_AT + dt.timedelta(minutes=2), started)
    await world.env.advance_time(5)

    assert len(bot_posts(alerts, bot.user.id)) == 1  # type: ignore[union-attr]
    assert [r.json["nonce"] for r in posts_to(world, alerts)] == [delivery_nonce(key)]
    row = await bot.store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent" and row.late


async def test_crash_after_send_before_marking_is_found_and_not_posted_again(
    world: World, started: list[PhotoFinish]
) -> None:
    alerts, key = await set_up(world)
    await claim(world, key, alerts.id)
    # Discord accepted the post, then the process died before marking it sent.
    message = reminder_message(
        await darlington(world.bot), lead=Lead(60), role_id=None, late=False, nonce=delivery_nonce(key)
    )
    channel = world.bot.get_channel(alerts.id)
    posted = await channel.send(content=message.content, embed=message.embed, nonce=delivery_nonce(key))  # type: ignore[union-attr]

    bot = await restart_at(world, FIRE_AT + dt.timedelta(minutes=2), started)
    await world.env.advance_time(3600)

    assert [m.id for m in bot_posts(alerts, bot.user.id)] == [posted.id]  # type: ignore[union-attr]
    row = await bot.store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent" and row.message_id == posted.id


async def test_a_claim_too_old_to_be_useful_is_recorded_as_missed_not_posted(
    world: World, started: list[PhotoFinish]
) -> None:
    alerts, key = await set_up(world)
    await claim(world, key, alerts.id)

    bot = await restart_at(world, DARLINGTON_START + dt.timedelta(minutes=5), started)
    await world.env.advance_time(5)

    assert bot_posts(alerts, bot.user.id) == []  # type: ignore[union-attr]
    row = await bot.store.alerts.delivery(key=key)
    assert row is not None and row.state == "missed"


async def test_downtime_across_the_fire_time_sends_late_while_useful(world: World, started: list[PhotoFinish]) -> None:
    alerts, key = await set_up(world)

    bot = await restart_at(world, FIRE_AT + dt.timedelta(minutes=10), started)
    await world.env.advance_time(5)

    posts = bot_posts(alerts, bot.user.id)  # type: ignore[union-attr]
    assert len(posts) == 1 and "Posted late" in (posts[0].embeds[0].description or "")
    row = await bot.store.alerts.delivery(key=key)
    assert row is not None and row.state == "sent" and row.late


async def test_downtime_too_long_records_the_reminder_as_missed_in_status(
    world: World, started: list[PhotoFinish]
) -> None:
    alerts, _key = await set_up(world)

    bot = await restart_at(world, FIRE_AT + dt.timedelta(minutes=40), started)  # > half the 1 h lead
    await world.env.advance_time(5)

    assert bot_posts(alerts, bot.user.id) == []  # type: ignore[union-attr]
    status = await world.admin.slash(world.channel, "alerts status")
    assert "1h reminder: **missed** — the bot was offline" in status.response.embeds[0].fields[1].value
