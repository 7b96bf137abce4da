"""Checks before alerts are saved or tested: who may configure them, and whether the bot can post."""

from __future__ import annotations

from typing import Any

import discord

from bot.alerts.channels import missing_permissions
from bot.errors import BadInput, UserFacingError


class NotAdmin(UserFacingError):
    pass


def require_manage_server(interaction: discord.Interaction[Any]) -> None:
    """The runtime check behind `default_member_permissions` (server admins can re-grant commands)."""
    if interaction.guild is None:
        raise UserFacingError("Alerts are set up per server; use this command in a server.")
    if not interaction.permissions.manage_guild:
        raise NotAdmin("You need the Manage Server permission to change alerts.")


def require_can_post(channel: Any, role: discord.Role | None) -> None:
    """Refuse a channel where an alert could not be posted or could not ping the chosen role."""
    missing = missing_permissions(channel)
    if missing:
        raise BadInput(f"I can't post alerts in {channel.mention}: I'm missing {', '.join(missing)} there.")
    if role is not None and not role.mentionable and not channel.permissions_for(channel.guild.me).mention_everyone:
        raise BadInput(
            f"I can't ping {role.mention} in {channel.mention}: make the role mentionable "
            "or give me the Mention @everyone, @here and All Roles permission there."
        )
    if role is not None and role.is_default():
        raise BadInput("Pick a role to ping, not @everyone.")
