"""The catch-all for clicks nobody handles: a stale, unknown or forged custom_id still gets an answer.

discord.py dispatches a component interaction to (a) every registered DynamicItem class whose template
fully matches the custom_id, provided the clicked message really carries a component with that type and
custom_id, and (b) a stored view item keyed by (component type, custom_id). Anything else it drops
silently, and the user sees "This interaction failed". Our views hold only DynamicItems (bot/views/base.py)
and we register no other views, so (a) decides: what no registered template claims on that message, or
no persistent view knows, is answered here, ephemerally and at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import discord

from bot.tree import send_ephemeral

log = logging.getLogger(__name__)

INACTIVE = "This button is no longer active."

DynamicItemClass = type[discord.ui.DynamicItem[Any]]


def _components(components: Iterable[Any]) -> Iterator[Any]:
    for component in components:
        yield component
        yield from _components(getattr(component, "children", ()))


def carries(message: discord.Message | None, component_type: int, custom_id: str) -> bool:
    """Whether the message really has a component of that type and custom_id (discord.py's own condition)."""
    if message is None:
        return False
    return any(
        getattr(c, "custom_id", None) == custom_id and c.type.value == component_type
        for c in _components(message.components)
    )


class ComponentClaims:
    """The DynamicItem classes this bot registered, and the question: will anything answer this click?"""

    def __init__(self) -> None:
        self._items: set[DynamicItemClass] = set()

    def add(self, *items: DynamicItemClass) -> None:
        self._items.update(items)

    def remove(self, *items: DynamicItemClass) -> None:
        self._items.difference_update(items)

    def knows(self, item: DynamicItemClass) -> bool:
        return item in self._items

    def claimed(self, client: discord.Client, interaction: discord.Interaction[Any]) -> bool:
        data: Any = interaction.data or {}
        custom_id, component_type = data.get("custom_id"), data.get("component_type")
        if not isinstance(custom_id, str) or not isinstance(component_type, int):
            return False
        for view in client.persistent_views:
            for item in view.walk_children():
                if not isinstance(item, discord.ui.DynamicItem) and getattr(item, "custom_id", None) == custom_id:
                    return True
        if not carries(interaction.message, component_type, custom_id):
            return False
        return any(item.__discord_ui_compiled_template__.fullmatch(custom_id) for item in self._items)


async def answer_unclaimed(
    client: discord.Client, claims: ComponentClaims, interaction: discord.Interaction[Any]
) -> None:
    """Answer a component interaction no button will: runs on every interaction, as an event listener."""
    if interaction.type is not discord.InteractionType.component or interaction.response.is_done():
        return
    if claims.claimed(client, interaction):
        return
    data: Any = interaction.data or {}
    log.debug(
        "Unclaimed click %r from user %s: answered as no longer active",
        str(data.get("custom_id"))[:100],
        interaction.user.id,
    )
    await send_ephemeral(interaction, INACTIVE)
