"""/standings' Previous/Next: DynamicItems whose custom_id carries series, season, race and page.

Nothing is held in memory, so the pager keeps working after a restart and shows the snapshot as it is
stored now. The chart attached to the message stays as it is (editing the embed keeps attachments).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.chase import chase_picture
from bot.embeds.standings import chart_filename, clamp_page, page_count, standings_page_embed
from bot.views.base import PhotoFinishButton, PhotoFinishView
from db.models import Series
from db.models.standings import StandingsSnapshot
from db.repos.points_formats import format_for

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

NONE = discord.AllowedMentions.none()


class StandingsPageButton(
    PhotoFinishButton,
    template=re.compile(
        r"pf:stand:(?P<series>cup|xfinity|truck):(?P<season>\d{4}):(?P<after>\d{1,2}):(?P<page>\d{1,2}):(?P<tag>prev|next)"
    ),
):
    def __init__(self, series: str, season: int, after: int, page: int, tag: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Previous" if tag == "prev" else "Next",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pf:stand:{series}:{season}:{after}:{page}:{tag}",
                disabled=disabled,
            )
        )
        self.series, self.season, self.after, self.page = series, season, after, page

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> StandingsPageButton:
        return cls(match["series"], int(match["season"]), int(match["after"]), int(match["page"]), match["tag"])

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        bot = cast("PhotoFinish", interaction.client)
        series = cast("Series", self.series)  # the template admits only the three series
        snapshot = await bot.store.standings.standings(series=series, season=self.season, after_race=self.after)
        if snapshot is None:
            await interaction.response.send_message(
                f"I no longer have these {self.season} standings; run /standings again.",
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        page = clamp_page(snapshot, self.page)
        message = interaction.message
        shown = chart_filename(snapshot)
        has_chart = message is not None and any(a.filename == shown for a in message.attachments)
        picture = chase_picture(snapshot, format_for(snapshot.series, snapshot.season))
        await interaction.response.edit_message(
            embed=standings_page_embed(snapshot, picture, page, chart=shown if has_chart else None),
            view=standings_pager(snapshot, page),
            allowed_mentions=NONE,
        )


def standings_pager(snapshot: StandingsSnapshot, page: int) -> PhotoFinishView:
    """Previous/Next pointing at the neighbouring pages; disabled at the ends."""
    last = page_count(snapshot) - 1
    view = PhotoFinishView()
    key = (snapshot.series, snapshot.season, snapshot.after_race)
    view.add_item(StandingsPageButton(*key, max(page - 1, 0), "prev", disabled=page <= 0))
    view.add_item(StandingsPageButton(*key, min(page + 1, last), "next", disabled=page >= last))
    return view
