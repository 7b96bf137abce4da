"""/alerts end to end: setup, the reminder firing on the clock, status, test, pause/resume/off, admin only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
import pytest
import simcord

from tests.conftest import World


@pytest.fixture
def now() -> dt.datetime:
    # Darlington 2024 starts 19:00Z (3 pm EDT): the 1-hour reminder fires at 18:00Z.
    return dt.datetime(2024, 5, 12, 17, 0, tzinfo=dt.UTC)


def bot_posts(channel: Any, bot_id: int) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.id == bot_id and m.interaction_metadata is None]


async def test_setup_then_the_one_hour_reminder_posts_at_18z(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")

    result = await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1h")

    assert result.ephemeral
    assert "1h before Goodyear 400" in str(result.response.embeds[0].fields[0].value)
    await world.env.advance_time(59 * 60)
    assert bot_posts(alerts, world.bot.user.id) == []
    await world.env.advance_time(60 + 5)
    posts = bot_posts(alerts, world.bot.user.id)
    assert len(posts) == 1
    assert "Goodyear 400" in (posts[0].content or "")
    assert "Darlington Raceway" in posts[0].content


async def test_the_reminder_pings_only_the_configured_role(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    fans = world.guild.create_role("Race Fans", mentionable=True)

    await world.admin.slash(world.channel, "alerts setup", channel=alerts, role=fans, leads="1h")
    await world.env.advance_time(3600 + 5)

    request = next(
        r for r in world.env.http_requests if r.method == "POST" and r.path == f"/channels/{alerts.id}/messages"
    )
    mentions = request.json["allowed_mentions"]
    assert mentions["parse"] == [] and [int(r) for r in mentions["roles"]] == [fans.id]
    assert not mentions.get("users") and not mentions.get("replied_user")
    assert request.json["content"].startswith(f"<@&{fans.id}>")
    assert request.json["nonce"] and len(request.json["nonce"]) <= 25


async def test_alerts_are_hidden_from_members_without_manage_server(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")

    with pytest.raises(simcord.SetupError, match="default-member-permissions"):
        await world.fan.slash(world.channel, "alerts setup", channel=alerts)


async def test_the_runtime_check_refuses_a_fan_even_when_the_command_is_granted(world: World) -> None:
    # A server admin can grant the command to anyone in Server Settings; the bot still checks.
    alerts = world.guild.create_text_channel("race-alerts")
    command = next(c for c in await world.bot.tree.fetch_commands() if c.name == "alerts")
    world.guild.set_command_permissions(command.id, {world.fan: True})

    result = await world.fan.slash(world.channel, "alerts setup", channel=alerts)

    assert result.ephemeral
    assert "Manage Server" in result.response.content
    assert await world.bot.store.alerts.subscriptions(guild_id=world.guild.id) == []


@pytest.mark.parametrize("leads", ["soon", "0m", "8d", "1h -5m", "1x"])
async def test_nonsense_lead_times_are_refused_with_the_format(world: World, leads: str) -> None:
    alerts = world.guild.create_text_channel("race-alerts")

    result = await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads=leads)

    assert result.ephemeral
    assert "1d 1h 15m" in result.response.content
    assert await world.bot.store.alerts.subscriptions(guild_id=world.guild.id) == []


async def test_status_lists_the_channel_next_firings_and_sends(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1d 1h 15m")
    await world.env.advance_time(3600 + 5)

    result = await world.admin.slash(world.channel, "alerts status")

    embed = result.response.embeds[0]
    text = embed.description + "".join(f"{f.name}{f.value}" for f in embed.fields)
    assert result.ephemeral
    assert f"<#{alerts.id}>" in text and "1d1h15m" not in text and "Leads 1d 1h 15m" in text
    assert "15m before Goodyear 400" in text
    assert "1h reminder: **sent**" in text


async def test_alerts_test_posts_a_sample_in_the_alert_channel(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1h")

    result = await world.admin.slash(world.channel, "alerts test")

    replies = [m.content for m in (result.response, *result.followups) if m is not None]
    assert result.ephemeral and any("Posted a test alert" in (r or "") for r in replies)
    assert "Test alert" in (bot_posts(alerts, world.bot.user.id)[0].content or "")


async def test_setup_refuses_a_channel_the_bot_cannot_post_in(world: World) -> None:
    me = world.bot.get_guild(world.guild.id).me  # type: ignore[union-attr]
    locked = world.guild.create_text_channel(
        "locked", overwrites={me: discord.PermissionOverwrite(send_messages=False)}
    )

    result = await world.admin.slash(world.channel, "alerts setup", channel=locked)

    assert result.ephemeral
    assert "missing Send Messages" in result.response.content


async def test_paused_alerts_skip_the_reminder_and_show_it_as_missed(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1h")

    paused = await world.admin.slash(world.channel, "alerts pause", until="2h")
    await world.env.advance_time(3600 + 5)

    assert "paused until" in paused.response.content
    assert bot_posts(alerts, world.bot.user.id) == []
    status = await world.admin.slash(world.channel, "alerts status")
    assert "missed** — alerts were paused" in status.response.embeds[0].fields[1].value


async def test_resume_brings_back_the_next_reminders(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="30m")
    await world.admin.slash(world.channel, "alerts pause")
    await world.admin.slash(world.channel, "alerts resume")

    await world.env.advance_time(90 * 60 + 5)

    assert len(bot_posts(alerts, world.bot.user.id)) == 1


async def test_off_stops_the_reminders(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1h")

    result = await world.admin.slash(world.channel, "alerts off")
    await world.env.advance_time(3600 + 5)

    assert "off" in result.response.content
    assert bot_posts(alerts, world.bot.user.id) == []


async def test_pause_with_a_past_date_is_refused(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts)

    result = await world.admin.slash(world.channel, "alerts pause", until="2024-01-01")

    assert result.ephemeral and "already passed" in result.response.content


async def test_the_leads_option_reads_back_what_is_typed_and_offers_common_choices(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")

    typed = await world.admin.autocomplete(world.channel, "alerts setup", "leads", "1d 90m", channel=alerts)
    common = await world.admin.autocomplete(world.channel, "alerts setup", "leads", "", channel=alerts)
    nonsense = await world.admin.autocomplete(world.channel, "alerts setup", "leads", "soon", channel=alerts)

    assert typed[0] == {"name": "1d 1h30m: 1 day, 1 hour 30 minutes before the start", "value": "1d 1h30m"}
    assert [c["value"] for c in common][:2] == ["1h", "15m"] and len(common) <= 25
    assert nonsense == []
