"""/events: one Discord Scheduled Event per upcoming race, kept in step with the schedule (Manage Server)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.events import events_off_text, events_status_embed
from bot.errors import BadInput, UserFacingError
from bot.events.service import EventSync, can_manage_events
from db.models import SERIES_NAMES

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

SeriesChoice = Literal["cup", "xfinity", "truck"]
NONE = discord.AllowedMentions.none()


def require_manage_server(interaction: discord.Interaction[Any]) -> discord.Guild:
    """The runtime check behind `default_member_permissions` (server admins can re-grant commands)."""
    if interaction.guild is None:
        raise UserFacingError("Race events are set up per server; use this command in a server.")
    if not interaction.permissions.manage_guild:
        raise UserFacingError("You need the Manage Server permission to change race events.")
    return interaction.guild


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Events(commands.GroupCog, group_name="events", group_description="Discord events for upcoming races"):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.events = bot.store.events
        self.sync = EventSync(bot, self.events)

    async def cog_load(self) -> None:
        self.sync.start()  # the first pass waits for READY (it needs the guild cache)

    async def cog_unload(self) -> None:
        await self.sync.close()

    @commands.Cog.listener()
    async def on_scheduled_event_delete(self, event: discord.ScheduledEvent) -> None:
        await self.sync.on_event_deleted(event.id)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        require_manage_server(interaction)
        return True

    @app_commands.command(name="setup")
    @app_commands.describe(series="Series (default: cup); run again for another series")
    async def setup(self, interaction: discord.Interaction[PhotoFinish], series: SeriesChoice = "cup") -> None:
        """Keep one Discord event per upcoming race of a series (about 8 weeks ahead)."""
        guild = require_manage_server(interaction)
        if not can_manage_events(guild):
            raise BadInput("I need the Create Events permission in this server to keep race events.")
        await self.events.subscribe(guild_id=guild.id, series=series, now=self.bot.clock())
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.sync.sync_guild(guild.id)
        subs = await self.events.subscriptions(guild_id=guild.id)
        rows = await self.events.guild_events(guild_id=guild.id)
        embed = events_status_embed(subs, rows, self.bot.clock())
        made = f"Race events are on for {SERIES_NAMES[series]}: {len(report.created)} created now"
        embed.description = (
            f"{made}.\n" + (f"⚠️ {report.stopped}\n" if report.stopped else "") + (embed.description or "")
        )
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction[PhotoFinish]) -> None:
        """The series this server follows and the events kept for upcoming races."""
        guild = require_manage_server(interaction)
        subs = await self.events.subscriptions(guild_id=guild.id)
        rows = await self.events.guild_events(guild_id=guild.id)
        await interaction.response.send_message(
            embed=events_status_embed(subs, rows, self.bot.clock()), ephemeral=True, allowed_mentions=NONE
        )

    @app_commands.command(name="off")
    @app_commands.describe(series="Only this series (default: all)")
    async def off(self, interaction: discord.Interaction[PhotoFinish], series: SeriesChoice | None = None) -> None:
        """Stop keeping race events and remove the ones I made (events made by others stay)."""
        guild = require_manage_server(interaction)
        removed = await self.events.unsubscribe(guild_id=guild.id, series=series)
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.sync.remove_all(guild.id, series={series} if series else None)
        text = events_off_text(removed, report.removed, len(report.failed))
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Events(bot))
