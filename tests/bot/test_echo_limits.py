"""Long input never makes an answer break Discord's limits: every string option of every command, walked.

Each string option gets 300 and 3,000 characters. Where Discord would pass the value on (no choices,
within the option's max length) it goes through simcord's own validation, as a user would type it; where
Discord would refuse it (a choice that is not one, longer than the max length) it goes raw, as a forged
payload would. Every message body the bot sends in answer is checked against Discord's limits.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.embeds.common import (
    CHOICE_NAME,
    CHOICES,
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    EMBED_TITLE,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER_TEXT,
    MESSAGE_LIMIT,
)
from tests.bot.forge import slash_raw
from tests.conftest import World

LENGTHS = (300, 3000)
EMBEDS_PER_MESSAGE = 10
STRING_LIMIT = 6000


def leaves(world: World) -> list[app_commands.Command[Any, ..., Any]]:
    commands = (c for c in world.bot.tree.walk_commands() if isinstance(c, app_commands.Command))
    return sorted(commands, key=lambda c: c.qualified_name)


def admin_only(command: app_commands.Command[Any, ..., Any]) -> bool:
    root = command.root_parent or command
    return root.default_permissions is not None


def plain_value(parameter: app_commands.Parameter, world: World) -> Any:
    """A value Discord accepts for a required option (not the one under test)."""
    if parameter.choices:
        return parameter.choices[0].value
    kind = parameter.type
    if kind is discord.AppCommandOptionType.string:
        return "kansas"
    if kind in (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.number):
        return parameter.min_value if parameter.min_value is not None else 1
    if kind is discord.AppCommandOptionType.boolean:
        return False
    if kind is discord.AppCommandOptionType.channel:
        return world.channel
    if kind is discord.AppCommandOptionType.user:
        return world.fan
    raise AssertionError(f"no plain value for {kind} ({parameter.name})")


def limit_problems(body: Any) -> list[str]:
    """What in one REST body (a message, an interaction answer, an edit) is over Discord's limits."""
    if not isinstance(body, dict):
        return []
    data = body.get("data", body) if "type" in body else body
    if not isinstance(data, dict):
        return []
    problems = []
    if len(data.get("content") or "") > MESSAGE_LIMIT:
        problems.append(f"content of {len(data['content'])}")
    choices = data.get("choices") or []
    if len(choices) > CHOICES or any(len(c.get("name", "")) > CHOICE_NAME for c in choices):
        problems.append("autocomplete choices")
    embeds = data.get("embeds") or []
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds")
    total = 0
    for embed in embeds:
        title, description = embed.get("title") or "", embed.get("description") or ""
        footer, author = (embed.get("footer") or {}).get("text") or "", (embed.get("author") or {}).get("name") or ""
        fields = embed.get("fields") or []
        total += len(title) + len(description) + len(footer) + len(author)
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
        checks = [
            (len(title) > EMBED_TITLE, f"title of {len(title)}"),
            (len(description) > EMBED_DESCRIPTION, f"description of {len(description)}"),
            (len(footer) > FOOTER_TEXT, f"footer of {len(footer)}"),
            (len(author) > FIELD_NAME, f"author of {len(author)}"),
            (len(fields) > EMBED_FIELDS, f"{len(fields)} fields"),
        ]
        checks += [(len(f.get("name") or "") > FIELD_NAME, "field name") for f in fields]
        checks += [(len(f.get("value") or "") > FIELD_VALUE, "field value") for f in fields]
        problems += [problem for over, problem in checks if over]
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total}")
    return problems


def string_cases(world: World) -> list[tuple[str, str, int]]:
    return [
        (command.qualified_name, parameter.display_name, length)
        for command in leaves(world)
        for parameter in command.parameters
        if parameter.type is discord.AppCommandOptionType.string
        for length in LENGTHS
    ]


async def test_every_string_option_with_long_input_is_answered_within_discords_limits(world: World) -> None:
    cases = string_cases(world)
    assert len(cases) >= 20  # the walk found the commands (result, driver, quote, alerts setup, …)
    commands = {c.qualified_name: c for c in leaves(world)}
    failures = []
    for name, option, length in cases:
        command = commands[name]
        parameter = next(p for p in command.parameters if p.display_name == option)
        actor = world.admin if admin_only(command) else world.fan
        text = "M" * length
        seen = len(world.env.http_requests)
        longest = int(parameter.max_value) if parameter.max_value is not None else STRING_LIMIT
        if parameter.choices or length > longest:
            # Discord would refuse it; a forged payload need not ask. The option under test goes first.
            result = await slash_raw(actor, world.channel, name, [{"name": option, "type": 3, "value": text}])
        else:
            options = {p.display_name: plain_value(p, world) for p in command.parameters if p.required}
            options[option] = text
            result = await actor.slash(world.channel, name, **options)
        if not result.acknowledged:
            failures.append(f"/{name} {option}={length} chars: not answered")
        for request in world.env.http_requests[seen:]:
            failures += [f"/{name} {option}={length} chars: {p}" for p in limit_problems(request.json)]
    assert failures == []


@pytest.mark.parametrize("length", LENGTHS)
async def test_an_error_line_quoting_the_input_stays_short(world: World, length: int) -> None:
    result = await slash_raw(world.fan, world.channel, "driver", [{"name": "name", "type": 7, "value": "9" * length}])

    assert result.ephemeral and len(result.response.content) <= 200


def test_a_leaderboard_for_a_period_it_does_not_know_keeps_its_title_short() -> None:
    from bot.embeds.trivia import leaderboard_embed

    embed = leaderboard_embed([], period="p" * 300)

    assert len(embed.title or "") <= EMBED_TITLE
