"""Formatting shared by every builder, and Discord's size limits in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import discord

from db.models import RaceSummary, Source

# Discord's documented limits.
MESSAGE_LIMIT = 2000
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
CHOICES = 25
CHOICE_NAME = 100

BRAND_COLOUR = discord.Colour(0xF2C14E)


def clip(text: str, limit: int) -> str:
    """Cut to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timestamp(moment: dt.datetime, style: str = "F") -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def day(value: dt.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def race_day(race: RaceSummary) -> str:
    """The race's day, or only its season when no date is recorded (history rows): never a placeholder."""
    return day(race.race_date) if race.date_known else str(race.season)


def cite(sources: Iterable[Source]) -> str:
    """Inline citation marks such as "[W, AP24]"; empty when there is no source."""
    keys = [s.key for s in sources]
    return f" [{', '.join(keys)}]" if keys else ""


def source_lines(sources: Iterable[Source]) -> list[str]:
    """One line per source: key, title linked when there is a URL, publisher and date."""
    lines = []
    for source in sources:
        title = clip(source.title, 90)
        text = f"[{title}]({source.url})" if source.url else title
        extra = ", ".join(
            x for x in (source.publisher, source.published.isoformat() if source.published else None) if x
        )
        lines.append(f"**{source.key}** {text}" + (f" ({extra})" if extra else ""))
    return lines


def join_within(lines: Iterable[str], limit: int, *, more: str = "…and {n} more") -> str:
    """Join lines with newlines, stopping before `limit` and saying how many were left out."""
    kept: list[str] = []
    items = list(lines)
    for index, line in enumerate(items):
        remaining = len(items) - index
        tail = "\n" + more.format(n=remaining)
        candidate = "\n".join([*kept, line])
        if len(candidate) + (len(tail) if remaining > 1 else 0) > limit:
            return "\n".join([*kept, more.format(n=remaining)]) if kept else clip(line, limit)
        kept.append(line)
    return "\n".join(kept)


NOT_RECORDED = "not recorded"


def car_text(car_number: str | None) -> str:
    """ "#5", or nothing when the source gives no car number: never a bare "#"."""
    return f"#{car_number}" if car_number and car_number.strip() else ""


def status_text(status: str) -> str:
    """A finishing status as the source gives it; "-" (the tables' blank) is said as not recorded."""
    lowered = status.strip().lower()
    return f"status {NOT_RECORDED}" if lowered in ("", "-") else lowered
