"""Discord's size limits as one assertion for builder tests."""

from __future__ import annotations

import discord

from bot.embeds.common import (
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    EMBED_TITLE,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER_TEXT,
)


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= EMBED_TOTAL, len(embed)
    assert len(embed.title or "") <= EMBED_TITLE
    assert len(embed.description or "") <= EMBED_DESCRIPTION
    assert len(embed.fields) <= EMBED_FIELDS
    for field in embed.fields:
        assert 0 < len(field.name or "") <= FIELD_NAME
        assert 0 < len(field.value or "") <= FIELD_VALUE
    assert len(embed.footer.text or "") <= FOOTER_TEXT
    assert len(embed.author.name or "") <= FIELD_NAME
