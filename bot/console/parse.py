"""Turn Discord-like input (`/result track:kansas season:2024`) into a command path and options."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands


class InputError(ValueError):
    pass


@dataclass
class Invocation:
    name: str  # "result" or "trivia play"
    options: dict[str, Any] = field(default_factory=dict)
    autocomplete: tuple[str, str] | None = None  # (option, typed text) for `option:text?`


def _leaf(tree: app_commands.CommandTree[Any], words: list[str]) -> tuple[app_commands.Command[Any, ..., Any], int]:
    root = tree.get_command(words[0])
    if root is None:
        known = ", ".join(sorted(f"/{c.name}" for c in tree.get_commands()))
        raise InputError(f"Unknown command /{words[0]}. Commands: {known}")
    node: Any = root
    used = 1
    while isinstance(node, app_commands.Group):
        if used >= len(words):
            subs = ", ".join(c.name for c in node.commands)
            raise InputError(f"/{node.qualified_name} needs a subcommand: {subs}")
        child = node.get_command(words[used])
        if child is None:
            subs = ", ".join(c.name for c in node.commands)
            raise InputError(f"/{node.qualified_name} has no subcommand {words[used]!r}: {subs}")
        node = child
        used += 1
    return node, used


def _convert(parameter: app_commands.Parameter, raw: str) -> Any:
    kind = parameter.type
    try:
        if kind is discord.AppCommandOptionType.integer:
            return int(raw)
        if kind is discord.AppCommandOptionType.number:
            return float(raw)
        if kind is discord.AppCommandOptionType.boolean:
            if raw.lower() in ("true", "yes", "1", "on"):
                return True
            if raw.lower() in ("false", "no", "0", "off"):
                return False
            raise ValueError(raw)
    except ValueError:
        raise InputError(f"{parameter.name}: {raw!r} is not a valid {kind.name}") from None
    return raw


def parse_invocation(line: str, tree: app_commands.CommandTree[Any]) -> Invocation:
    """Parse one line; bare values fill the first unfilled options in declaration order, required first."""
    try:
        words = shlex.split(line.strip().removeprefix("/"))
    except ValueError as error:
        raise InputError(f"Cannot read that line: {error}") from None
    if not words:
        raise InputError("Type a command such as /result kansas")
    command, used = _leaf(tree, words)
    parameters = {p.name: p for p in command.parameters}
    invocation = Invocation(name=command.qualified_name)
    bare: list[str] = []
    for word in words[used:]:
        key, sep, value = word.partition(":")
        if sep and key in parameters:
            if value.endswith("?"):
                invocation.autocomplete = (key, value[:-1])
                continue
            invocation.options[key] = _convert(parameters[key], value)
        else:
            bare.append(word)
    order = [p for p in command.parameters if p.required] + [p for p in command.parameters if not p.required]
    free = [p for p in order if p.name not in invocation.options]
    if bare:
        if not free:
            raise InputError(f"/{command.qualified_name} has no option left for {' '.join(bare)!r}")
        # The first free option takes the bare words together ("/result las vegas").
        first, rest = free[0], bare
        if first.type is discord.AppCommandOptionType.string:
            invocation.options[first.name] = " ".join(rest)
        else:
            for parameter, raw in zip(free, rest, strict=False):
                invocation.options[parameter.name] = _convert(parameter, raw)
    return invocation
