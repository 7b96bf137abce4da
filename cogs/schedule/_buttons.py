"""/schedule's Previous/Next: DynamicItems whose custom_id carries series, season and page.

Nothing is held in memory, so the pager keeps working days later or after a restart, and always
shows the schedule as it is stored now.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.embeds.schedule import page_count, schedule_page_embed
from bot.views.base import PhotoFinishButton, PhotoFinishView
from db.models import Series
from db.models.schedule import ScheduleView

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

NONE = discord.AllowedMentions.none()


class SchedulePageButton(
    PhotoFinishButton,
    template=re.compile(
        r"pf:sched:(?P<series>cup|xfinity|truck):(?P<season>\d{4}):(?P<page>\d{1,3}):(?P<tag>prev|next)"
    ),
):
    def __init__(self, series: str, season: int, page: int, tag: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Previous" if tag == "prev" else "Next",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pf:sched:{series}:{season}:{page}:{tag}",
                disabled=disabled,
            )
        )
        self.series, self.season, self.page = series, season, page

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> SchedulePageButton:
        return cls(match["series"], int(match["season"]), int(match["page"]), match["tag"])

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        bot = cast("PhotoFinish", interaction.client)
        now = bot.clock()
        series = cast("Series", self.series)  # the template admits only the three series
        schedule = await bot.store.schedule.season_schedule(series=series, season=self.season, now=now)
        if not schedule.races:
            await interaction.response.send_message(
                f"I no longer have the {self.season} schedule; run /schedule again.",
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        page = min(max(self.page, 0), page_count(schedule) - 1)
        await interaction.response.edit_message(
            embed=schedule_page_embed(schedule, self.season, page, now),
            view=schedule_pager(schedule, self.season, page),
            allowed_mentions=NONE,
        )


def schedule_pager(schedule: ScheduleView, season: int, page: int) -> PhotoFinishView:
    """Previous/Next pointing at the neighbouring pages; disabled at the ends."""
    last = page_count(schedule) - 1
    view = PhotoFinishView()
    view.add_item(SchedulePageButton(schedule.series, season, max(page - 1, 0), "prev", disabled=page <= 0))
    view.add_item(SchedulePageButton(schedule.series, season, min(page + 1, last), "next", disabled=page >= last))
    return view
