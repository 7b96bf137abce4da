"""What `option:?` answers in the console when there is nothing to autocomplete: the choices, or what it takes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from discord import app_commands

from bot.console.parse import ENTITY_TYPES, InputError, Invocation, OptionType


def matching_choices(parameter: app_commands.Parameter, typed: str) -> list[str]:
    """Fixed choices whose name contains what was typed so far (all of them for nothing typed), as Discord filters."""
    needle = typed.casefold()
    return [c.name for c in parameter.choices if needle in c.name.casefold() or needle in str(c.value).casefold()]


def _range(low: float | None, high: float | None, unit: str = "") -> str:
    if low is not None and high is not None:
        return f" from {low:g} to {high:g}{unit}"
    if low is not None:
        return f" of at least {low:g}{unit}"
    if high is not None:
        return f" of at most {high:g}{unit}"
    return ""


def takes(parameter: app_commands.Parameter, entities: Mapping[OptionType, Sequence[str]]) -> str:
    """What a value of this option looks like, e.g. "a whole number from 1 to 25"."""
    kind = parameter.type
    if parameter.choices:
        return "one of " + ", ".join(c.name for c in parameter.choices)
    if kind is OptionType.integer:
        return "a whole number" + _range(parameter.min_value, parameter.max_value)
    if kind is OptionType.number:
        return "a number" + _range(parameter.min_value, parameter.max_value)
    if kind is OptionType.boolean:
        return "true or false (yes/no and on/off work too)"
    if kind in ENTITY_TYPES:
        what = {
            OptionType.channel: "a channel",
            OptionType.role: "a role",
            OptionType.user: "a member",
            OptionType.mentionable: "a member or a role",
        }[kind]
        names = ", ".join(entities.get(kind, ()))
        return f"{what} of this server: {names}" if names else what
    if kind is OptionType.attachment:
        return "a file (the console cannot attach files)"
    low = parameter.min_value if parameter.min_value not in (None, 0, 1) else None
    text = "text" + _range(low, parameter.max_value, " characters")
    if parameter.autocomplete:
        text += "; end it with ? for suggestions"
    return text


def describe_option(parameter: app_commands.Parameter, entities: Mapping[OptionType, Sequence[str]]) -> str:
    """One line: name, what it takes, whether it is required, and the command's own description of it."""
    needed = "required" if parameter.required else "optional"
    about = f" — {parameter.description}" if parameter.description and parameter.description != "…" else ""
    return f"{parameter.name}: {takes(parameter, entities)} ({needed}){about}"


class ServerEntities:
    """The console server's channels, roles and members as typed in options: `#race-alerts`, `@Race Fans`, `@fan`."""

    def __init__(self, guild: Any, members: Mapping[str, Any]) -> None:
        self.guild = guild
        self.members = members

    def names(self) -> dict[OptionType, list[str]]:
        roles = [f"@{name}" for name in self.guild.roles if name != "@everyone"]
        members = [f"@{name}" for name in self.members]
        return {
            OptionType.channel: [f"#{name}" for name in self.guild.channels],
            OptionType.role: roles,
            OptionType.user: members,
            OptionType.mentionable: members + roles,
        }

    def resolve(self, parameter: app_commands.Parameter, raw: str) -> Any:
        """The simcord handle a typed channel, role or member stands for."""
        name = raw.strip().lstrip("#@")
        found: Any = None
        if parameter.type is OptionType.channel:
            found = self.guild.channels.get(name)
        if parameter.type in (OptionType.user, OptionType.mentionable):
            found = self.members.get(name)
        if found is None and parameter.type in (OptionType.role, OptionType.mentionable):
            found = self.guild.roles.get(name)
        if found is None:
            names = ", ".join(self.names()[parameter.type])
            raise InputError(f"{parameter.name}: no {raw!r} here; it takes one of {names}")
        return found

    def options_of(self, invocation: Invocation) -> dict[str, Any]:
        """The invocation's options, with entities resolved, ready for simcord."""
        assert invocation.command is not None
        parameters = {p.name: p for p in invocation.command.parameters}
        return {
            name: self.resolve(parameters[name], value) if parameters[name].type in ENTITY_TYPES else value
            for name, value in invocation.options.items()
        }


async def answer_question(
    actor: Any, channel: Any, invocation: Invocation, options: dict[str, Any], entities: ServerEntities
) -> list[str]:
    """What `option:?` shows: autocomplete suggestions, the fixed choices, or what the option takes."""
    assert invocation.command is not None and invocation.autocomplete is not None
    option, typed = invocation.autocomplete
    parameter = next(p for p in invocation.command.parameters if p.name == option)
    if parameter.autocomplete:
        choices = await actor.autocomplete(channel, invocation.name, option, typed, **options)
        names = [str(choice["name"]) for choice in choices]
        empty = "(no suggestions)"
    elif parameter.choices:
        names = matching_choices(parameter, typed)
        listed = ", ".join(c.name for c in parameter.choices)
        empty = f"(no choice matches {typed!r}; {option} is one of {listed})"
    else:
        return [describe_option(parameter, entities.names())]
    return [f"  • {name}" for name in names] or [f"  {empty}"]
