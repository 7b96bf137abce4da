"""Answer an interaction with an embed and, when one can be drawn, a chart attached to it.

The answer never waits on a render: a cached PNG goes out with the first response; otherwise the
embed goes out at once (well inside Discord's 3 s, even while the worker process is starting) and
the chart is drawn in the pool and attached by editing the response.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import discord

from bot.charts.pool import ChartRenderer, ChartUnavailable
from bot.charts.specs import ChartSpec

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()


@dataclass(frozen=True)
class ChartRequest:
    key: Hashable  # what the chart shows, e.g. ("standings", series, season, after)
    spec: ChartSpec
    version: int  # the data version the spec was built from
    filename: str


EmbedFor = Callable[[str | None], discord.Embed]  # the embed, showing the named attachment when given


async def answer_with_chart(
    interaction: discord.Interaction[Any],
    embed_for: EmbedFor,
    *,
    view: discord.ui.View | None,
    renderer: ChartRenderer | None,
    chart: ChartRequest | None,
) -> None:
    extra: dict[str, Any] = {"view": view} if view is not None else {}
    if chart is not None and not can_attach(interaction):
        log.info("No chart %s: the bot may not attach files in channel %s", chart.key, interaction.channel_id)
        chart = None
    png = renderer.cached(chart.key, version=chart.version) if renderer and chart else None
    if chart is not None and png is not None:
        await interaction.response.send_message(
            embed=embed_for(chart.filename), file=_file(png, chart.filename), allowed_mentions=NONE, **extra
        )
        return
    await interaction.response.send_message(embed=embed_for(None), allowed_mentions=NONE, **extra)
    if renderer is None or chart is None:
        return
    try:
        png = await renderer.render(chart.key, chart.spec, version=chart.version)
    except ChartUnavailable as error:
        log.warning("Chart %s not drawn: %s", chart.key, error)
        return
    try:
        await interaction.edit_original_response(
            embed=embed_for(chart.filename), attachments=[_file(png, chart.filename)], allowed_mentions=NONE
        )
    except discord.HTTPException as error:  # the message was deleted meanwhile, or the token expired
        log.info("Could not attach chart %s: %s", chart.key, error)


def can_attach(interaction: discord.Interaction[Any]) -> bool:
    """Whether Discord lets this answer carry a file.

    An interaction answer is not held to Send Messages, but Discord applies the bot's Attach Files in the
    channel, overwrites included (the interaction's `app_permissions`); in a DM an app may always attach.
    """
    return interaction.guild_id is None or interaction.app_permissions.attach_files


def _file(png: bytes, filename: str) -> discord.File:
    return discord.File(io.BytesIO(png), filename=filename)
