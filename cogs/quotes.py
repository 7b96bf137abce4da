"""/quote: a sourced quote by speaker, race or words; a random one when no filter is given."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.quotes import quote_embed
from bot.errors import BadInput, NotFound
from cogs._lookup import DriverOption, QuotedRaceOption
from db.repos.quotes import fts_query

if TYPE_CHECKING:
    from bot.bot import PhotoFinish


class Quotes(commands.Cog):
    def __init__(self, bot: PhotoFinish) -> None:
        self.bot = bot

    @app_commands.command(name="quote")
    @app_commands.describe(
        driver="Who said it (name or nickname)",
        race="Said about this race",
        search="Words in the quote or its context",
    )
    async def quote(
        self,
        interaction: discord.Interaction[PhotoFinish],
        driver: DriverOption | None = None,
        race: QuotedRaceOption | None = None,
        search: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """A driver quote with who said it, to whom, when, and the source."""
        store = self.bot.store
        if search is not None and fts_query(search) is None:
            raise BadInput("Search for at least one word, e.g. `search: wild`.")
        found = await store.quotes.find_quotes(
            speaker_id=driver.id if driver else None,
            race_id=race.id if race else None,
            search=search,
            limit=25,
            shuffle=True,
        )
        if not found:
            raise NotFound("No stored quote matches that. Try fewer words, or /quote with no options for a random one.")
        many = f"{len(found)}+" if len(found) == 25 else str(len(found))
        note = f"Picked at random from {many} matching quotes." if len(found) > 1 else None
        await interaction.response.send_message(
            embed=quote_embed(found[0], note=note),
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Quotes(bot))
