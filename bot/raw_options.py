"""Check a slash command's raw options against its declared parameters, as Discord would have.

Discord validates types, choices, ranges and lengths before it sends an interaction, and discord.py
trusts it: a forged or garbled payload (a channel "abc", an integer "x", a 300-character choice) either
raises inside discord.py before our error policy sees it or reaches the command unchecked. This finds the
first such problem as a sentence for the user, or None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from discord import AppCommandOptionType
from discord.app_commands import Command, Parameter

from bot.embeds.common import clip

SUBCOMMAND_TYPES = (1, 2)  # sub-command, sub-command group
SNOWFLAKE_TYPES = frozenset({6, 7, 8, 9, 11})  # user, channel, role, mentionable, attachment
STRING_LIMIT = 6000  # Discord's longest string option value
INTEGER_LIMIT = 2**53  # Discord's integers are JSON-safe
ECHO = 60


def leaf_options(data: Mapping[str, Any]) -> Sequence[Any]:
    """The options of the invoked (sub)command, below any subcommand and group nesting."""
    options: Any = data.get("options") or []
    while isinstance(options, list) and options and isinstance(options[0], dict):
        if options[0].get("type") not in SUBCOMMAND_TYPES:
            break
        options = options[0].get("options") or []
    return options if isinstance(options, list) else [None]


def raw_option_problem(command: Command[Any, ..., Any], data: Mapping[str, Any], *, autocomplete: bool) -> str | None:
    """The first option Discord would not have sent for this command, as a sentence; None when all are fine."""
    parameters = {p.display_name: p for p in command.parameters}
    given: set[str] = set()
    for option in leaf_options(data):
        if not isinstance(option, dict) or not isinstance(option.get("name"), str):
            return "That command arrived garbled; please run it again."
        parameter = parameters.get(option["name"])
        if parameter is None:
            continue  # discord.py ignores options it does not know
        given.add(parameter.display_name)
        if autocomplete and option.get("focused"):
            continue  # what the user is typing: any text, offered to the autocomplete
        problem = _value_problem(parameter, option.get("type"), option.get("value"))
        if problem is not None:
            return f"“{clip(str(option.get('value')), ECHO)}” is not a valid {parameter.display_name}: {problem}."
    if not autocomplete:
        missing = [p.display_name for p in command.parameters if p.required and p.display_name not in given]
        if missing:
            return f"The {missing[0]} option is required."
    return None


def _value_problem(parameter: Parameter, kind: object, value: object) -> str | None:
    expected = parameter.type
    if kind != expected.value:
        return f"expected {_kind(expected)}"
    if kind in SNOWFLAKE_TYPES:
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if not text.isdigit() or not 0 < int(text) < 2**64:
            return f"expected {_kind(expected)}"
        return None
    if expected is AppCommandOptionType.boolean:
        return None if isinstance(value, bool) else "expected true or false"
    if expected is AppCommandOptionType.string:
        if not isinstance(value, str):
            return "expected text"
        problem = _range_problem(len(value), parameter, unit=" characters")
        if problem is None and len(value) > STRING_LIMIT:
            problem = f"at most {STRING_LIMIT} characters"
    elif expected in (AppCommandOptionType.integer, AppCommandOptionType.number):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"expected {_kind(expected)}"
        if expected is AppCommandOptionType.integer and (not isinstance(value, int) or abs(value) >= INTEGER_LIMIT):
            return f"expected {_kind(expected)}"
        problem = _range_problem(value, parameter, unit="")
    else:
        return None
    if problem is None and parameter.choices and value not in {c.value for c in parameter.choices}:
        problem = "pick one of the offered choices"
    return problem


def _range_problem(measure: float, parameter: Parameter, *, unit: str) -> str | None:
    low, high = parameter.min_value, parameter.max_value
    if low is not None and measure < low:
        return f"at least {low:g}{unit}"
    if high is not None and measure > high:
        return f"at most {high:g}{unit}"
    return None


def _kind(kind: AppCommandOptionType) -> str:
    return {
        AppCommandOptionType.string: "text",
        AppCommandOptionType.integer: "a whole number",
        AppCommandOptionType.number: "a number",
        AppCommandOptionType.boolean: "true or false",
        AppCommandOptionType.user: "a user",
        AppCommandOptionType.channel: "a channel",
        AppCommandOptionType.role: "a role",
        AppCommandOptionType.mentionable: "a user or role",
        AppCommandOptionType.attachment: "a file",
    }.get(kind, kind.name)
