"""/spoilers settings (Manage Server): post results spoiler-safe, and delay results alerts for replay watchers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.spoilers import spoiler_settings_embed
from bot.errors import UserFacingError
from db.repos.spoilers import MAX_DELAY_H

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


# Its own top-level group, not a subcommand of another: Discord applies default_member_permissions to
# top-level commands only, so fans never see it; interaction_check repeats the check at run time.
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Spoilers(commands.GroupCog, group_name="spoilers", group_description="Spoiler-safe results for this server"):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot
        self.settings_store = bot.store.spoilers

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.guild_id is None:
            raise UserFacingError("Spoiler settings are per server; use this command in a server.")
        if not interaction.permissions.manage_guild:
            raise UserFacingError("You need the Manage Server permission to change spoiler settings.")
        return True

    @app_commands.command(name="settings")
    @app_commands.describe(
        hide_results="Put winners and finishing orders behind spoiler tags (race names stay visible)",
        alert_delay_hours=f"Post results alerts this many hours after a race is official (0–{MAX_DELAY_H})",
    )
    async def settings(
        self,
        interaction: discord.Interaction[PhotoFinish],
        hide_results: bool | None = None,
        alert_delay_hours: app_commands.Range[int, 0, MAX_DELAY_H] | None = None,
    ) -> None:
        """Show or change this server's spoiler-safe results settings (Manage Server)."""
        assert interaction.guild_id is not None
        changed = hide_results is not None or alert_delay_hours is not None
        if changed:
            current = await self.settings_store.update_settings(
                guild_id=interaction.guild_id,
                hide_results=hide_results,
                results_delay_h=alert_delay_hours,
                now=self.bot.clock(),
            )
        else:
            current = await self.settings_store.get_settings(guild_id=interaction.guild_id)
        await interaction.response.send_message(
            embed=spoiler_settings_embed(current, changed=changed),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Spoilers(bot))
