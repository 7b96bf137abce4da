"""Render bot messages in the terminal with rich: embeds as panels, buttons numbered."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_MENTION = re.compile(r"<(#|@&|@!?)(\d+)>")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)")
_SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
SPOILER_STYLE = "black on black"


def _relative(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = int((moment - now).total_seconds())
    future = seconds >= 0
    seconds = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            break
    else:
        text = f"{seconds} seconds"
    return f"in {text}" if future else f"{text} ago"


@dataclass(frozen=True)
class Reader:
    """What the terminal needs to show a message as its reader would: their clock and the server's names."""

    now: Callable[[], dt.datetime]
    mention_name: Callable[[str, int], str | None] = lambda kind, entity_id: None


def discord_markup(text: str, reader: Reader) -> str:
    """Discord markdown, mentions and timestamps → rich markup (timestamps in this machine's zone).

    A ||spoiler|| keeps its bars and is drawn black on black, as Discord covers it: select the text to
    read it. Without colour (piped output) it reads plainly between the bars.
    """
    parts = _SPOILER.split(text)  # odd parts are what the tags cover
    return "".join(
        f"||[{SPOILER_STYLE}]{_plain(_unmarked(part), reader)}[/{SPOILER_STYLE}]||"
        if index % 2
        else _styled(part, reader)
        for index, part in enumerate(parts)
    )


def _plain(text: str, reader: Reader) -> str:
    """Escaped text with mentions, timestamps and links resolved but no styles (they would show through)."""
    now = reader.now

    def mention(match: re.Match[str]) -> str:
        kind, entity_id = match.group(1), int(match.group(2))
        name = reader.mention_name(kind, entity_id)
        prefix = "#" if kind == "#" else "@"
        return f"{prefix}{name}" if name else match.group(0)

    text = _MENTION.sub(mention, text)

    def stamp(match: re.Match[str]) -> str:
        moment = dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC)
        style = match.group(2) or "f"
        local = moment.astimezone()
        if style == "R":
            return _relative(moment, now())
        if style in "dD":
            return f"{local:%a %d %b %Y}"
        if style in "tT":
            return f"{local:%H:%M %Z}"
        return f"{local:%a %d %b %Y %H:%M %Z}"

    # Discord shows a link's text, not its address; so does the console.
    return escape(_LINK.sub(lambda m: m.group(1), _TIMESTAMP.sub(stamp, text)))


def _unmarked(text: str) -> str:
    return text.replace("**", "").replace("`", "")


def _styled(text: str, reader: Reader) -> str:
    text = _BOLD.sub(r"[bold]\1[/bold]", _plain(text, reader))
    return _CODE.sub(r"[cyan]\1[/cyan]", text)


def _stamp(moment: dt.datetime) -> str:
    """An embed's timestamp as the reader's client shows it: in their own zone."""
    return f"{moment.astimezone():%a %d %b %Y %H:%M %Z}"


def _picture(kind: str, url: str | None) -> Text | None:
    """The terminal cannot show a picture; say there is one, and which (an attachment by its file name)."""
    if not url:
        return None
    return Text.from_markup(f"[dim]\\[{kind}: {escape(url.removeprefix('attachment://'))}][/dim]")


def _fields(embed: discord.Embed, reader: Reader) -> list[Any]:
    """Fields in Discord's layout: inline fields side by side, up to three a row; others on their own."""
    parts: list[Any] = []
    row: list[Any] = []

    def flush() -> None:
        if row:
            grid = Table.grid(padding=(0, 3))
            grid.add_row(*row)
            parts.append(grid)
            row.clear()

    for field in embed.fields:
        cell = Group(
            Text.from_markup(f"[bold yellow]{discord_markup(field.name or '', reader)}[/bold yellow]"),
            Text.from_markup(discord_markup(field.value or "", reader)),
        )
        if not field.inline:
            flush()
            parts.append(Text(""))
            parts.append(cell)
            continue
        if not row:
            parts.append(Text(""))
        row.append(cell)
        if len(row) == 3:
            flush()
    flush()
    return parts


def embed_panel(embed: discord.Embed, reader: Reader) -> Panel:
    """Every part of an embed the Discord client shows: author, title, description, fields, images, footer, time."""
    parts: list[Any] = []
    if embed.author and embed.author.name:
        parts.append(Text.from_markup(f"[bold]{escape(embed.author.name)}[/bold]"))
    if embed.description:
        parts.append(Text.from_markup(discord_markup(embed.description, reader)))
    parts.extend(_fields(embed, reader))
    for picture in (_picture("image", embed.image.url), _picture("thumbnail", embed.thumbnail.url)):
        if picture is not None:
            parts.append(picture)
    footer = [escape(embed.footer.text)] if embed.footer and embed.footer.text else []
    if embed.timestamp:
        footer.append(_stamp(embed.timestamp))
    if footer:
        parts.append(Text.from_markup(f"\n[dim]{' • '.join(footer)}[/dim]"))
    colour = f"#{embed.colour.value:06x}" if embed.colour else "white"
    title = Text.from_markup(f"[bold]{discord_markup(embed.title or '', reader)}[/bold]") if embed.title else None
    return Panel(Group(*parts), title=title, title_align="left", border_style=colour, expand=False, width=100)


def buttons(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clickable buttons of a message, in reading order."""
    found: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("type") == 2 and item.get("custom_id") and not item.get("disabled"):
                found.append(item)
            walk(item.get("components") or [])

    walk(components)
    return found


def render_message(
    console: Console,
    *,
    content: str,
    embeds: list[discord.Embed],
    components: list[dict[str, Any]],
    ephemeral: bool,
    reader: Reader,
    attachments: Sequence[discord.Attachment] = (),
    saved: Mapping[str, Path] | None = None,
    edited: bool = False,
) -> list[dict[str, Any]]:
    """Print one message; return its buttons so the caller can number them.

    `saved` maps attachment file names to where the console saved them (pictures), printed whole on a
    line of their own so the path can be copied; `edited` marks a message changed after it was sent, as
    Discord does (a chart attached to an answer arrives that way).
    """
    if ephemeral:
        console.print("[dim italic](only you can see this)[/dim italic]")
    if edited:
        console.print("[dim](edited)[/dim]")
    if content:
        console.print(Text.from_markup(discord_markup(content, reader)))
    for embed in embeds:
        console.print(embed_panel(embed, reader))
    # Discord shows a file an embed uses as its image inside the embed only.
    shown = {e.image.url for e in embeds} | {e.thumbnail.url for e in embeds}
    for attachment in attachments:
        if f"attachment://{attachment.filename}" in shown:
            continue
        size = f", {attachment.size / 1024:.0f} kB" if attachment.size else ""
        console.print(Text.from_markup(f"[dim]\\[attachment: {escape(attachment.filename)}{size}][/dim]"))
    for filename, path in (saved or {}).items():
        console.print(Text(f"[{filename} saved: {path}]", style="dim"), soft_wrap=True)
    found = buttons(components)
    if found:
        table = Table.grid(padding=(0, 2))
        table.add_row(
            *(
                f"[reverse] {i} [/reverse] {escape(b.get('label') or b['custom_id'])}"
                for i, b in enumerate(found, start=1)
            )
        )
        console.print(table)
    return found
