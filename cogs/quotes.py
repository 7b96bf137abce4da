"""/quote: a sourced quote by speaker, race or words; a random one when no filter is given."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds.common import CHOICE_NAME, CHOICES, clip
from bot.embeds.quotes import quote_embed
from bot.errors import BadInput, NotFound
from cogs._lookup import choices, match_race, race_label, resolve_driver
from db.quotes import fts_query

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
        driver: app_commands.Range[str, 1, 100] | None = None,
        race: app_commands.Range[str, 1, 100] | None = None,
        search: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """A driver quote with who said it, to whom, when, and the source."""
        store = self.bot.store
        speaker = await resolve_driver(store, driver) if driver else None
        race_id = None
        if race:
            chosen = match_race(await store.quotes.races_with_quotes(), race)
            if chosen is None:
                raise NotFound(f"I have no quotes about a race called “{clip(race, 60)}”; pick one from the list.")
            race_id = chosen.id
        if search is not None and fts_query(search) is None:
            raise BadInput("Search for at least one word, e.g. `search: wild`.")
        found = await store.quotes.find_quotes(
            speaker_id=speaker.id if speaker else None, race_id=race_id, search=search, limit=25, shuffle=True
        )
        if not found:
            raise NotFound("No stored quote matches that. Try fewer words, or /quote with no options for a random one.")
        many = f"{len(found)}+" if len(found) == 25 else str(len(found))
        note = f"Picked at random from {many} matching quotes." if len(found) > 1 else None
        await interaction.response.send_message(
            embed=quote_embed(found[0], note=note),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @quote.autocomplete("driver")
    async def driver_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(await self.bot.store.drivers.search_drivers(query=current, limit=CHOICES))

    @quote.autocomplete("race")
    async def race_autocomplete(
        self, interaction: discord.Interaction[PhotoFinish], current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold().strip()
        races = await self.bot.store.quotes.races_with_quotes()
        return [
            app_commands.Choice(name=clip(race_label(r), CHOICE_NAME), value=str(r.id))
            for r in races
            if needle in race_label(r).casefold()
        ][:CHOICES]


async def setup(bot: PhotoFinish) -> None:
    await bot.add_cog(Quotes(bot))
