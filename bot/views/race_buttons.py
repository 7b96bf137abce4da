"""/result's buttons: full field (paginated), stages, quotes from this race.

Each button is a DynamicItem whose custom_id encodes the race (and page), so nothing lives in
memory: a button pressed days later, or after a restart, still answers. A race that is gone
gets a polite ephemeral line.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.embeds.field import clamp_page, field_page_embed, page_count
from bot.embeds.quotes import quote_list_embed
from bot.embeds.results import stages_embed
from db.models import RaceResult

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
GONE = "That race is no longer in my data; run /result again for a fresh answer."


def _bot(interaction: discord.Interaction[Any]) -> PhotoFinish:
    return cast("PhotoFinish", interaction.client)


async def _result(interaction: discord.Interaction[Any], race_id: int) -> RaceResult | None:
    result = await _bot(interaction).store.races.race_result(race_id=race_id)
    if result is None:
        await interaction.response.send_message(GONE, ephemeral=True, allowed_mentions=NONE)
    return result


class FieldButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.compile(r"pf:field:(?P<race_id>\d{1,12}):(?P<page>\d{1,3}):(?P<tag>open|prev|next)"),
):
    """The "Full field" button (tag open: a new ephemeral pager) and the pager's Prev/Next (edit in place)."""

    def __init__(self, race_id: int, page: int, tag: str, *, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary if tag == "open" else discord.ButtonStyle.secondary,
                custom_id=f"pf:field:{race_id}:{page}:{tag}",
                disabled=disabled,
            )
        )
        self.race_id = race_id
        self.page = page
        self.tag = tag

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FieldButton:
        return cls(
            int(match["race_id"]), int(match["page"]), match["tag"], label=getattr(item, "label", None) or "Field"
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        result = await _result(interaction, self.race_id)
        if result is None:
            return
        page = clamp_page(result, self.page)
        embed = field_page_embed(result, page)
        view = field_pager(result, page)
        if self.tag == "open":
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NONE)
        else:
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NONE)


class StagesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(r"pf:stages:(?P<race_id>\d{1,12})")
):
    def __init__(self, race_id: int) -> None:
        super().__init__(
            discord.ui.Button(label="Stages", style=discord.ButtonStyle.secondary, custom_id=f"pf:stages:{race_id}")
        )
        self.race_id = race_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StagesButton:
        return cls(int(match["race_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        result = await _result(interaction, self.race_id)
        if result is not None:
            await interaction.response.send_message(embed=stages_embed(result), ephemeral=True, allowed_mentions=NONE)


class QuotesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(r"pf:quotes:(?P<race_id>\d{1,12})")
):
    def __init__(self, race_id: int, count: int | None = None) -> None:
        label = f"Quotes ({count})" if count else "Quotes"
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=f"pf:quotes:{race_id}")
        )
        self.race_id = race_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuotesButton:
        return cls(int(match["race_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        store = _bot(interaction).store
        race = await store.races.race_summary(race_id=self.race_id)
        if race is None:
            await interaction.response.send_message(GONE, ephemeral=True, allowed_mentions=NONE)
            return
        quotes = await store.quotes.find_quotes(race_id=self.race_id, limit=100)
        embed = quote_list_embed(f"Quotes — {race.season} {race.name}", quotes)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)


BUTTONS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (FieldButton, StagesButton, QuotesButton)


def result_view(result: RaceResult) -> discord.ui.View:
    """Buttons under a /result embed; only those with something behind them."""
    view = discord.ui.View(timeout=None)
    race_id = result.race.id
    if result.results:
        view.add_item(FieldButton(race_id, 0, "open", label=f"Full field ({len(result.results)})"))
    if result.stages:
        view.add_item(StagesButton(race_id))
    if result.quote_count:
        view.add_item(QuotesButton(race_id, result.quote_count))
    return view


def field_pager(result: RaceResult, page: int) -> discord.ui.View:
    last = page_count(result) - 1
    view = discord.ui.View(timeout=None)
    view.add_item(FieldButton(result.race.id, max(page - 1, 0), "prev", label="◀ Previous", disabled=page <= 0))
    view.add_item(FieldButton(result.race.id, min(page + 1, last), "next", label="Next ▶", disabled=page >= last))
    return view
