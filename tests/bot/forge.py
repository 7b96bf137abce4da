"""Interactions Discord itself would never send, for fault tests: forged custom_ids and raw option values.

simcord's public `click` and `slash` validate like Discord (a click needs a button on the message; options
are type-checked), which is right for every other test but hides what a garbled or hostile payload does.
These helpers reach one level below, to simcord 3.2.1's own dispatch (checked by
test_forge_uses_simcord_privates_that_exist), so the payload reaches the bot as written.
"""

from __future__ import annotations

from typing import Any

import discord
from simcord import actors as simcord_actors
from simcord.enums import InteractionType

BUTTON = 2
CHAT_INPUT = 1
SUBCOMMAND = 1
GROUP = 2


def stopped_view(*custom_ids: str) -> discord.ui.View:
    """Buttons with any custom_ids, in a view discord.py will not store (it is finished), so nothing in the
    bot listens to them except what the custom_id itself claims."""
    view = discord.ui.View(timeout=None)
    for custom_id in custom_ids:
        view.add_item(discord.ui.Button(label=custom_id[:80], custom_id=custom_id))
    view.stop()
    return view


async def post_buttons(bot: discord.Client, channel_id: int, *custom_ids: str) -> discord.Message:
    """A message from the bot carrying buttons with these custom_ids (an old message, or a forged one)."""
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return await channel.send("Buttons", view=stopped_view(*custom_ids))


async def click_anything(actor: Any, message: Any, custom_id: str) -> Any:
    """A click with a custom_id the message need not carry (Discord would refuse it; a forger need not ask)."""
    stored = actor._message(message)
    data = {"custom_id": custom_id, "component_type": BUTTON}
    result: Any = await simcord_actors._component_interaction(actor, stored, data)
    return result


async def slash_raw(
    actor: Any, channel: Any, name: str, options: list[dict[str, Any]], *, autocomplete: bool = False
) -> Any:
    """/name with these raw option payloads ({"name", "type", "value"}), unvalidated; or its autocomplete."""
    parts = name.split()
    root = actor._resolve_root(parts[0], CHAT_INPUT, channel.id)
    nested: list[dict[str, Any]] = options
    for depth, sub in enumerate(reversed(parts[1:])):
        nested = [{"name": sub, "type": SUBCOMMAND if depth == 0 else GROUP, "options": nested}]
    data = {"id": root["id"], "name": root["name"], "type": CHAT_INPUT, "options": nested}
    kind = InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE if autocomplete else InteractionType.APPLICATION_COMMAND
    result: Any = await actor._dispatch_interaction(kind, channel, data)
    return result
