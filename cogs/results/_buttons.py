"""/result's buttons: full field (paginated), stages, quotes from this race.

Each button is a DynamicItem whose custom_id encodes the race (and page), so nothing lives in
memory: a button pressed days later, or after a restart, still answers. A race that is gone
gets a polite ephemeral line. A result posted spoiler-safe carries `:s` at the end of every
custom_id, so each page and button behind it is spoiler-safe too, whoever presses it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.embeds.field import clamp_page, field_page_embed, page_count
from bot.embeds.quotes import quote_list_embed
from bot.embeds.results import stages_embed
from bot.embeds.spoilers import result_as_chosen
from bot.views.base import PhotoFinishButton, PhotoFinishView
from db.models import RaceResult

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
GONE = "That race is no longer in my data; run /result again for a fresh answer."
HIDDEN = r"(?P<hidden>:s)?"  # the spoiler-safe flag at the end of a custom_id


def _flag(hidden: bool) -> str:
    return ":s" if hidden else ""


def _bot(interaction: discord.Interaction[Any]) -> PhotoFinish:
    return cast("PhotoFinish", interaction.client)


async def _result(interaction: discord.Interaction[Any], race_id: int) -> RaceResult | None:
    result = await _bot(interaction).store.races.race_result(race_id=race_id)
    if result is None:
        await interaction.response.send_message(GONE, ephemeral=True, allowed_mentions=NONE)
    return result


class FieldButton(
    PhotoFinishButton,
    template=re.compile(r"pf:field:(?P<race_id>\d{1,12}):(?P<page>\d{1,3}):(?P<tag>open|prev|next)" + HIDDEN),
):
    """The "Full field" button (tag open: a new ephemeral pager) and the pager's Prev/Next (edit in place)."""

    def __init__(
        self, race_id: int, page: int, tag: str, *, label: str, disabled: bool = False, hidden: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary if tag == "open" else discord.ButtonStyle.secondary,
                custom_id=f"pf:field:{race_id}:{page}:{tag}{_flag(hidden)}",
                disabled=disabled,
            )
        )
        self.race_id = race_id
        self.page = page
        self.tag = tag
        self.hidden = hidden

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> FieldButton:
        return cls(
            int(match["race_id"]),
            int(match["page"]),
            match["tag"],
            label=getattr(item, "label", None) or "Field",
            hidden=bool(match["hidden"]),
        )

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        result = await _result(interaction, self.race_id)
        if result is None:
            return
        page = clamp_page(result, self.page)
        embed = result_as_chosen(field_page_embed(result, page), result.race, hidden=self.hidden)
        view = field_pager(result, page, hidden=self.hidden)
        if self.tag == "open":
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True, allowed_mentions=NONE)
        else:
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NONE)


class StagesButton(PhotoFinishButton, template=re.compile(r"pf:stages:(?P<race_id>\d{1,12})" + HIDDEN)):
    def __init__(self, race_id: int, *, hidden: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Stages", style=discord.ButtonStyle.secondary, custom_id=f"pf:stages:{race_id}{_flag(hidden)}"
            )
        )
        self.race_id = race_id
        self.hidden = hidden

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> StagesButton:
        return cls(int(match["race_id"]), hidden=bool(match["hidden"]))

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        result = await _result(interaction, self.race_id)
        if result is not None:
            embed = result_as_chosen(stages_embed(result), result.race, hidden=self.hidden)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)


class QuotesButton(PhotoFinishButton, template=re.compile(r"pf:quotes:(?P<race_id>\d{1,12})" + HIDDEN)):
    def __init__(self, race_id: int, count: int | None = None, *, hidden: bool = False) -> None:
        label = f"Quotes ({count})" if count else "Quotes"
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"pf:quotes:{race_id}{_flag(hidden)}"
            )
        )
        self.race_id = race_id
        self.hidden = hidden

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> QuotesButton:
        return cls(int(match["race_id"]), hidden=bool(match["hidden"]))

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        store = _bot(interaction).store
        race = await store.races.race_summary(race_id=self.race_id)
        if race is None:
            await interaction.response.send_message(GONE, ephemeral=True, allowed_mentions=NONE)
            return
        quotes = await store.quotes.find_quotes(race_id=self.race_id, limit=100)
        listed = quote_list_embed(f"Quotes — {race.season} {race.name}", quotes, speakers_in_names=not self.hidden)
        embed = result_as_chosen(listed, race, hidden=self.hidden)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)


BUTTONS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (FieldButton, StagesButton, QuotesButton)


def result_view(result: RaceResult, *, hidden: bool = False) -> PhotoFinishView:
    """Buttons under a /result embed; only those with something behind them (spoiler-safe when `hidden`)."""
    view = PhotoFinishView()
    race_id = result.race.id
    if result.results:
        view.add_item(FieldButton(race_id, 0, "open", label=f"Full field ({len(result.results)})", hidden=hidden))
    if result.stages:
        view.add_item(StagesButton(race_id, hidden=hidden))
    if result.quote_count:
        view.add_item(QuotesButton(race_id, result.quote_count, hidden=hidden))
    return view


def field_pager(result: RaceResult, page: int, *, hidden: bool = False) -> PhotoFinishView:
    last = page_count(result) - 1
    race_id = result.race.id
    view = PhotoFinishView()
    view.add_item(FieldButton(race_id, max(page - 1, 0), "prev", label="◀ Previous", disabled=page <= 0, hidden=hidden))
    view.add_item(
        FieldButton(race_id, min(page + 1, last), "next", label="Next ▶", disabled=page >= last, hidden=hidden)
    )
    return view
