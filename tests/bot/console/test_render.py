"""The terminal shows every part of an embed the Discord client shows."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
from rich.console import Console

from bot.console.render import SPOILER_STYLE, Reader, discord_markup, render_message

NOW = dt.datetime(2024, 5, 6, 16, tzinfo=dt.UTC)


def rendered(embeds: list[discord.Embed], attachments: Any = ()) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=110, color_system=None)
    render_message(
        console,
        content="",
        embeds=embeds,
        components=[],
        ephemeral=False,
        reader=Reader(now=lambda: NOW),
        attachments=attachments,
    )
    return buffer.getvalue()


def full_embed() -> discord.Embed:
    embed = discord.Embed(title="Standings after Kansas", description="The top of the table.", timestamp=NOW)
    embed.set_author(name="Kyle Larson (via NASCAR)")
    embed.add_field(name="Leader", value="Kyle Larson", inline=True)
    embed.add_field(name="Gap", value="+12", inline=True)
    embed.add_field(name="Source", value="NASCAR points feed", inline=False)
    embed.set_image(url="attachment://standings.png")
    embed.set_thumbnail(url="https://example.org/car.png")
    embed.set_footer(text="Official")
    return embed


def test_every_part_of_an_embed_is_shown() -> None:
    text = rendered([full_embed()])

    for part in (
        "Kyle Larson (via NASCAR)",
        "Standings after Kansas",
        "The top of the table.",
        "Leader",
        "Gap",
        "+12",
        "NASCAR points feed",
        "[image: standings.png]",
        "[thumbnail: https://example.org/car.png]",
        "Official • Mon 06 May 2024",  # the footer, then the timestamp in the reader's zone
    ):
        assert part in text, part


def test_the_author_comes_before_the_description() -> None:
    text = rendered([full_embed()])

    assert text.index("Kyle Larson (via NASCAR)") < text.index("The top of the table.")


def test_inline_fields_share_a_row_and_others_take_their_own() -> None:
    lines = rendered([full_embed()]).splitlines()

    assert any("Leader" in line and "Gap" in line for line in lines)
    assert not any("Source" in line and "Gap" in line for line in lines)


def test_a_file_shown_as_the_embed_image_is_not_listed_again_but_others_are() -> None:
    files = [SimpleNamespace(filename="standings.png", size=20480), SimpleNamespace(filename="data.csv", size=2048)]

    text = rendered([full_embed()], attachments=files)

    assert "[attachment: standings.png" not in text
    assert "[attachment: data.csv, 2 kB]" in text


def test_a_spoiler_is_drawn_covered_between_its_bars() -> None:
    markup = discord_markup("Race: ||**Kyle Larson** won||", Reader(now=lambda: NOW))

    assert markup == f"Race: ||[{SPOILER_STYLE}]Kyle Larson won[/{SPOILER_STYLE}]||"
    assert "||Kyle Larson won||" in rendered([discord.Embed(description="||**Kyle Larson** won||")])


def test_a_saved_picture_gets_its_whole_path_on_one_line() -> None:
    path = Path("/tmp/photofinish-console/1234567890123456789-standings-cup-2030-2.png")
    buffer = io.StringIO()
    console = Console(file=buffer, width=60, color_system=None)

    render_message(
        console,
        content="",
        embeds=[full_embed()],
        components=[],
        ephemeral=False,
        reader=Reader(now=lambda: NOW),
        saved={"standings.png": path},
        edited=True,
    )

    lines = buffer.getvalue().splitlines()
    assert f"[standings.png saved: {path}]" in lines
    assert lines[0] == "(edited)"
