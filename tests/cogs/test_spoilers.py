"""/spoilers settings (Manage Server): the per-server spoiler-safe setting and the results-alert delay."""

from __future__ import annotations

import pytest
from simcord.backend.errors import OptionError, SetupError

from db.repos.spoilers import SpoilerStore
from tests.conftest import World


async def test_a_server_that_never_chose_shows_results_at_once(world: World) -> None:
    result = await world.admin.slash(world.channel, "spoilers settings")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Spoiler settings"
    assert "Results in this server: **shown**" in embed.description
    assert "posted as soon as the race is official" in embed.description


async def test_an_admin_hides_results_and_delays_alerts(world: World) -> None:
    result = await world.admin.slash(world.channel, "spoilers settings", hide_results=True, alert_delay_hours=12)

    embed = result.response.embeds[0]
    assert embed.title == "Spoiler settings saved"
    assert "hidden behind spoiler tags" in embed.description and "posted 12 h after" in embed.description
    settings = await SpoilerStore(world.bot.store.db).get_settings(guild_id=world.guild.id)
    assert (settings.hide_results, settings.results_delay_h) == (True, 12)


async def test_changing_one_setting_keeps_the_other(world: World) -> None:
    await world.admin.slash(world.channel, "spoilers settings", hide_results=True, alert_delay_hours=6)

    await world.admin.slash(world.channel, "spoilers settings", alert_delay_hours=0)

    settings = await SpoilerStore(world.bot.store.db).get_settings(guild_id=world.guild.id)
    assert (settings.hide_results, settings.results_delay_h) == (True, 0)


async def test_spoilers_are_hidden_from_fans_and_refused_when_granted(world: World) -> None:
    with pytest.raises(SetupError, match="default-member-permissions"):
        await world.fan.slash(world.channel, "spoilers settings", hide_results=True)
    command = next(c for c in await world.bot.tree.fetch_commands() if c.name == "spoilers")
    world.guild.set_command_permissions(command.id, {world.fan: True})

    result = await world.fan.slash(world.channel, "spoilers settings", hide_results=True)

    assert result.ephemeral and "Manage Server" in result.response.content
    settings = await SpoilerStore(world.bot.store.db).get_settings(guild_id=world.guild.id)
    assert settings.hide_results is False


async def test_a_delay_beyond_three_days_is_not_accepted(world: World) -> None:
    with pytest.raises(OptionError):
        await world.admin.slash(world.channel, "spoilers settings", alert_delay_hours=73)


async def test_the_settings_say_results_alerts_follow_them(world: World) -> None:
    result = await world.admin.slash(world.channel, "spoilers settings", hide_results=True, alert_delay_hours=3)

    # Results alerts read these settings now (bot/alerts/fanout.py): the answer says how they will post.
    description = result.response.embeds[0].description or ""
    assert "do not follow" not in description
    assert "Results alerts: **posted 3 h after the race is official**, spoiler-safe." in description
