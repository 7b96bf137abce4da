"""The base of every view and button: failures go to the tree's one error policy.

Every button is a DynamicItem (its custom_id carries what it needs, so it works days later and after a
restart), and every view holds only such buttons. That is also what lets bot/views/unclaimed.py tell, from
the custom_id alone, whether some button will answer a click.

discord.py logs and drops what a DynamicItem raises (in from_custom_id and in callback) instead of
calling any on_error, so the click would go unanswered: PhotoFinishButton catches both and hands them to
the tree's on_error, which answers at once.
"""

from __future__ import annotations

import re
from typing import Any, Self, final

import discord

from bot.tree import route_component_error


class PhotoFinishButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button whose subclasses implement `from_match` and `pressed`; the base never matches a custom_id."""

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Item[Any]) -> Self:
        """Rebuild the button from its custom_id (and the clicked component, for its label)."""
        raise NotImplementedError

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        """Answer the click. Raise UserFacingError for a sentence; anything else is logged as a bug."""
        raise NotImplementedError

    @final
    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        try:
            return cls.from_match(match, item)
        except Exception as error:
            await route_component_error(interaction, match.string, error)
            raise  # discord.py logs it and stops; the user has had the answer

    @final
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.pressed(interaction)
        except Exception as error:
            await route_component_error(interaction, self.custom_id, error)


class PhotoFinishView(discord.ui.View):
    """A view of PhotoFinishButtons only; persistent by default since the buttons carry their state."""

    def __init__(self, *, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout)

    def add_item(self, item: discord.ui.Item[Any]) -> Self:
        if not isinstance(item, PhotoFinishButton):
            raise TypeError(f"{type(item).__name__} is not a PhotoFinishButton: views hold only those")
        return super().add_item(item)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await route_component_error(interaction, str(getattr(item, "custom_id", "?")), error)
