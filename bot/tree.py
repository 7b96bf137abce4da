"""The command tree: one error policy for every command and button, and interactions that are always answered."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.embeds.common import MESSAGE_LIMIT, clip
from bot.errors import BadInput, ComponentFailed, UserFacingError
from bot.raw_options import raw_option_problem
from db.storage.connection import is_busy

log = logging.getLogger(__name__)

GENERIC_APOLOGY = "Sorry, something went wrong on our side. It has been logged; please try again later."
BUSY = "The database is busy right now; please try again in a few seconds."
ECHO = 100  # characters of a user's input quoted back in an error line


def _permissions(names: list[str]) -> str:
    return ", ".join(p.replace("_", " ").title() for p in names)


def user_message(error: BaseException) -> str | None:
    """The sentence for errors the user should see; None for bugs."""
    if isinstance(error, (app_commands.CommandInvokeError, ComponentFailed)):
        return BUSY if is_busy(error.original) else None
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permissions(error.missing_permissions)} permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_permissions(error.missing_permissions)} permission here to do that."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.TransformerError):
        return f"“{clip(str(error.value), ECHO)}” is not a valid value there."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    if isinstance(error, app_commands.CommandNotFound):
        # A client still showing a command we renamed or removed (/trivia settings became /triviaset).
        return "That command no longer exists; Discord will refresh your command list shortly."
    if isinstance(error, app_commands.CommandSignatureMismatch):
        return "That command has changed since your Discord loaded it; please try again in a moment."
    return None


def _what(interaction: discord.Interaction[Any]) -> str:
    if interaction.type is discord.InteractionType.component:
        custom_id = interaction.data.get("custom_id") if interaction.data else None
        return f"Button {clip(str(custom_id), ECHO)!r}"
    return f"Command {interaction.command.qualified_name if interaction.command else '?'}"


async def answer_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
    """The one error policy: a user error gets its sentence, anything else is logged and gets an apology."""
    message = user_message(error)
    if message is None:
        log.error(
            "%s failed (guild=%s channel=%s user=%s)",
            _what(interaction),
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            exc_info=error,
        )
        message = GENERIC_APOLOGY
    await send_ephemeral(interaction, message)


async def route_component_error(interaction: discord.Interaction[Any], custom_id: str, error: Exception) -> None:
    """A button's failure, through the tree's on_error when the client has our tree (so it is one policy)."""
    wrapped = error if isinstance(error, app_commands.AppCommandError) else ComponentFailed(custom_id, error)
    tree = getattr(interaction.client, "tree", None)
    if isinstance(tree, app_commands.CommandTree):
        await tree.on_error(interaction, wrapped)
    else:
        await answer_error(interaction, wrapped)


class PhotoFinishTree(app_commands.CommandTree[Any]):
    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Refuse option values Discord itself would never send, before discord.py parses them.

        discord.py trusts Discord: an option "abc" for a channel raises ValueError while it builds the
        Namespace, outside any error handler, and an unknown choice or an out-of-range integer reaches the
        command. A BadInput raised here goes to on_error like any other.
        """
        command = interaction.command
        if not isinstance(command, app_commands.Command) or not isinstance(interaction.data, dict):
            return True  # an unknown command: discord.py raises CommandNotFound, which on_error answers
        autocomplete = interaction.type is discord.InteractionType.autocomplete
        problem = raw_option_problem(command, interaction.data, autocomplete=autocomplete)
        if problem is None:
            return True
        if autocomplete:
            await interaction.response.autocomplete([])
            return False
        raise BadInput(problem)

    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        await answer_error(interaction, error)


async def send_ephemeral(interaction: discord.Interaction[Any], message: str) -> None:
    """Answer with a short ephemeral line, whether or not the interaction was answered already."""
    text = clip(message, MESSAGE_LIMIT)
    none = discord.AllowedMentions.none()
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])  # it cannot carry a message: no choices it is
        elif interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=none)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=none)
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)
