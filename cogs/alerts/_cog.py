"""The /alerts group (Manage Server only) and the alert service's lifetime."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.alerts.channels import DiscordChannels
from bot.alerts.leads import LeadError, parse_until
from bot.alerts.limiter import Limiter, Unlimited
from bot.alerts.service import AlertService, AlertStores
from bot.embeds.alerts import setup_embed, status_embed, test_message
from bot.errors import BadInput, NotFound
from cogs.alerts._checks import require_can_post, require_manage_server
from cogs.alerts._options import DEFAULT_LEADS, LeadsOption
from db.repos.alerts import AlertKind

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

log = logging.getLogger(__name__)

SeriesChoice = Literal["cup", "xfinity", "truck"]
NOT_SET_UP = "Alerts aren't set up in this server. Start with `/alerts setup channel:#channel`."


def alert_service(bot: PhotoFinish, *, pace: Limiter | None = None) -> AlertService:
    """The alert engine wired to a bot: its store areas, its channels, its clock and its guilds.

    `pace` defaults to none of its own: the bot's RestGate (bot/pacing.py) paces every request where it leaves."""
    return AlertService(
        stores=AlertStores.of(bot.store),
        channels=DiscordChannels(bot),
        clock=bot.clock,
        # The servers of this process's shards, by Discord's formula on the id (bot/shards.py); the ledger
        # stops doubles between processes.
        is_ours=bot.our_shards.is_ours,
        pace=pace or Unlimited(),
        peers=bot.cluster,  # adopts a dead process's shards; tells live claim holders on other hosts
    )


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Alerts(commands.GroupCog, group_name="alerts", group_description="Race reminders and results for this server"):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.service = alert_service(bot)
        self._starting: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        # The first plan posts through the logged-in client, so it waits for READY.
        self._starting = asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        await self.bot.wait_until_ready()
        await self.service.start()

    async def cog_unload(self) -> None:
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        self.service.stop()

    @commands.Cog.listener()
    async def on_race_official(self, race_id: int) -> None:
        """The feed sync saw a race turn official: post the results alert, once per channel."""
        await self.service.on_race_official(race_id)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        require_manage_server(interaction)
        return True

    @app_commands.command(name="setup")
    @app_commands.describe(
        channel="Where alerts are posted",
        role="Role to ping (optional; nobody else is ever pinged)",
        series="Series (default: cup)",
        leads="Reminder lead times, e.g. 1d 1h 15m (default: 1h)",
        reminders="Post reminders before each race (default: on)",
        results="Post the result when it is official (default: on)",
        changes="Post when a start time changes (default: on)",
    )
    async def setup(
        self,
        interaction: discord.Interaction[PhotoFinish],
        channel: discord.TextChannel,
        role: discord.Role | None = None,
        series: SeriesChoice = "cup",
        leads: LeadsOption = DEFAULT_LEADS,
        reminders: bool = True,
        results: bool = True,
        changes: bool = True,
    ) -> None:
        """Post race reminders, official results and schedule changes to a channel."""
        assert interaction.guild_id is not None
        wanted: dict[AlertKind, bool] = {"reminder": reminders, "results": results, "changes": changes}
        kinds = [kind for kind, on in wanted.items() if on]
        if not kinds:
            raise BadInput("Pick at least one of reminders, results or changes (or use `/alerts off`).")
        require_can_post(channel, role)
        saved = await self.bot.store.alerts.save_subscription(
            guild_id=interaction.guild_id,
            series=series,
            channel_id=channel.id,
            role_id=role.id if role else None,
            leads=leads,
            kinds=kinds,
            now=self.bot.clock(),
        )
        self.service.replan_soon()
        embed = setup_embed(saved, await self.service.upcoming(interaction.guild_id), self.bot.clock())
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Where alerts go, the next firings, recent sends, and anything missed or disabled."""
        assert interaction.guild_id is not None
        subs = await self.bot.store.alerts.subscriptions(guild_id=interaction.guild_id)
        recent = await self.bot.store.alerts.recent_deliveries(guild_id=interaction.guild_id, limit=8)
        embed = status_embed(subs, await self.service.upcoming(interaction.guild_id), recent, self.bot.clock())
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    @app_commands.command(name="test")
    async def test(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Post a sample alert now, after checking the bot may post and ping there."""
        assert interaction.guild is not None
        subs = [s for s in await self.bot.store.alerts.subscriptions(guild_id=interaction.guild.id)]
        if not subs:
            raise NotFound(NOT_SET_UP)
        posted = []
        for sub in subs:
            channel = interaction.guild.get_channel(sub.channel_id)
            if channel is None:
                raise NotFound(f"The alert channel <#{sub.channel_id}> no longer exists; run `/alerts setup` again.")
            role = interaction.guild.get_role(sub.role_id) if sub.role_id else None
            require_can_post(channel, role)
        await interaction.response.defer(ephemeral=True, thinking=True)
        for sub in subs:
            channel = interaction.guild.get_channel(sub.channel_id)
            assert isinstance(channel, discord.TextChannel)
            message = test_message(role_id=sub.role_id, series=sub.series)
            await channel.send(content=message.content, embed=message.embed, allowed_mentions=message.allowed_mentions)
            posted.append(channel.mention)
        await interaction.followup.send(
            f"Posted a test alert in {', '.join(posted)}.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(name="pause")
    @app_commands.describe(
        until="How long (e.g. 2h, 3d) or until when (e.g. 2024-05-20); default: until /alerts resume"
    )
    async def pause(
        self, interaction: discord.Interaction[PhotoFinish], until: app_commands.Range[str, 1, 40] | None = None
    ) -> None:
        """Pause this server's alerts; reminders that fall in the pause are skipped."""
        assert interaction.guild_id is not None
        now = self.bot.clock()
        try:
            moment = parse_until(until, now=now) if until else None
        except LeadError as error:
            raise BadInput(str(error)) from None
        paused = await self.bot.store.alerts.set_paused(
            guild_id=interaction.guild_id, until=moment, until_resumed=moment is None, now=now
        )
        if not paused:
            raise NotFound(NOT_SET_UP)
        self.service.replan_soon()
        text = "until you run `/alerts resume`" if moment is None else f"until <t:{int(moment.timestamp())}:f>"
        await interaction.response.send_message(f"Alerts paused {text}.", ephemeral=True)

    @app_commands.command(name="resume")
    async def resume(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Resume paused alerts (reminders that fell in the pause are not sent late)."""
        assert interaction.guild_id is not None
        if not await self.bot.store.alerts.set_paused(guild_id=interaction.guild_id, until=None, now=self.bot.clock()):
            raise NotFound(NOT_SET_UP)
        self.service.replan_soon()
        await interaction.response.send_message("Alerts resumed.", ephemeral=True)

    @app_commands.command(name="off")
    async def off(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """Turn this server's alerts off (run /alerts setup to start again)."""
        assert interaction.guild_id is not None
        if not await self.bot.store.alerts.delete_subscriptions(guild_id=interaction.guild_id):
            raise NotFound(NOT_SET_UP)
        self.service.replan_soon()
        await interaction.response.send_message("Alerts are off for this server.", ephemeral=True)
