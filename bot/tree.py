"""The command tree: one error policy for every command, and interactions that are always answered."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import discord
from discord import app_commands

from bot.errors import TryAgain, UserFacingError
from db.database import DatabaseBusy

log = logging.getLogger(__name__)

GENERIC_APOLOGY = "Sorry, something went wrong on our side. It has been logged; please try again later."


def user_message(error: app_commands.AppCommandError) -> str | None:
    """The sentence for errors the user should see; None for bugs."""
    if isinstance(error, app_commands.CommandInvokeError):
        original = error.original
        busy = isinstance(original, DatabaseBusy)
        if busy or (isinstance(original, sqlite3.OperationalError) and "locked" in str(original)):
            return TryAgain("The database is busy right now; please try again in a few seconds.").message
        return None
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.MissingPermissions):
        needed = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"You need the {needed} permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        needed = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"I need the {needed} permission here to do that."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.TransformerError):
        return f"“{error.value}” is not a valid value there."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


class PhotoFinishTree(app_commands.CommandTree[Any]):
    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        message = user_message(error)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "Command %s failed (guild=%s channel=%s user=%s)",
                command,
                interaction.guild_id,
                interaction.channel_id,
                interaction.user.id,
                exc_info=error,
            )
            message = GENERIC_APOLOGY
        await send_ephemeral(interaction, message)


async def send_ephemeral(interaction: discord.Interaction[Any], message: str) -> None:
    """Answer with a short ephemeral line, whether or not the interaction was answered already."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)
