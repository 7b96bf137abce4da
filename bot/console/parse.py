"""Turn Discord-like input (`/result track:the monster mile season:2024`) into a command path and options.

A value runs up to the next `name:` of the same command, so spaces need no quotes; quotes still work and
are the way to put a `name:` or a final `?` inside a value. A final `?` (outside quotes) asks about that
option instead of running the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands

OptionType = discord.AppCommandOptionType
# Options whose value names something in the server (a channel, a role, a member): the session resolves them.
ENTITY_TYPES = frozenset({OptionType.channel, OptionType.role, OptionType.user, OptionType.mentionable})
TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")
# `sesaon:2024` inside a value is far more likely a misspelt option than words; `https://…` is a link.
_OPTION_LIKE = re.compile(r"[a-z][a-z0-9_]*$")


class InputError(ValueError):
    pass


@dataclass
class Invocation:
    name: str  # "result" or "trivia play"
    options: dict[str, Any] = field(default_factory=dict)
    autocomplete: tuple[str, str] | None = None  # (option, typed text) for `option:text?`: what `?` asks about
    command: app_commands.Command[Any, ..., Any] | None = None


@dataclass
class _Word:
    text: str
    colon: int = -1  # index of the first colon typed outside quotes, -1 if none
    ends_quoted: bool = False  # the last character came from inside quotes


def _words(text: str) -> list[_Word]:
    """Split on spaces outside quotes, remembering which colons and final characters were quoted."""
    words: list[_Word] = []
    current: _Word | None = None
    quote: str | None = None
    escaped = False
    for char in text:
        if current is None and (quote or escaped or not char.isspace()):
            current = _Word("")
        if escaped:
            assert current is not None
            current.text += char
            current.ends_quoted = True
            escaped = False
        elif quote:
            assert current is not None
            if char == quote:
                quote = None
                current.ends_quoted = True
            else:
                current.text += char
        elif char == "\\":
            escaped = True
        elif char in "\"'":
            quote = char
            assert current is not None
            current.ends_quoted = True
        elif char.isspace():
            if current is not None:
                words.append(current)
                current = None
        else:
            assert current is not None
            if char == ":" and current.colon < 0:
                current.colon = len(current.text)
            current.text += char
            current.ends_quoted = False
    if quote:
        raise InputError(f"Cannot read that line: a {quote} quote is not closed")
    if current is not None:
        words.append(current)
    return words


def _leaf(tree: app_commands.CommandTree[Any], words: list[str]) -> tuple[app_commands.Command[Any, ..., Any], int]:
    root = tree.get_command(words[0].lower())
    if root is None:
        known = ", ".join(sorted(f"/{c.name}" for c in tree.get_commands()))
        raise InputError(f"Unknown command /{words[0]}. Commands: {known}")
    node: Any = root
    used = 1
    while isinstance(node, app_commands.Group):
        subs = ", ".join(c.name for c in node.commands)
        if used >= len(words):
            raise InputError(f"/{node.qualified_name} needs a subcommand: {subs}")
        child = node.get_command(words[used].lower())
        if child is None:
            raise InputError(f"/{node.qualified_name} has no subcommand {words[used]!r}: {subs}")
        node = child
        used += 1
    return node, used


def choice_for(parameter: app_commands.Parameter, raw: str) -> Any:
    """The value of the choice typed by its name or value (any case), as Discord sends it."""
    for choice in parameter.choices:
        if raw.casefold() in (choice.name.casefold(), str(choice.value).casefold()):
            return choice.value
    names = ", ".join(c.name for c in parameter.choices)
    raise InputError(f"{parameter.name}: {raw!r} is not one of {names}")


def _in_range(parameter: app_commands.Parameter, value: float, raw: str) -> None:
    low, high = parameter.min_value, parameter.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low:g} to {high:g}" if low is not None and high is not None else ""
        bounds = bounds or (f"at least {low:g}" if low is not None else f"at most {high:g}")
        raise InputError(f"{parameter.name}: {raw} is out of range; it takes a number {bounds}")


def convert(parameter: app_commands.Parameter, raw: str) -> Any:
    """One typed value as the option's type; entities (channels, roles, members) stay text for the session."""
    kind = parameter.type
    if parameter.choices:
        return choice_for(parameter, raw)
    try:
        if kind is OptionType.integer:
            number: float = int(raw)
        elif kind is OptionType.number:
            number = float(raw)
        elif kind is OptionType.boolean:
            if raw.lower() in TRUE_WORDS:
                return True
            if raw.lower() in FALSE_WORDS:
                return False
            raise InputError(f"{parameter.name}: {raw!r} is not true or false (yes/no also work)")
        elif kind is OptionType.attachment:
            raise InputError(f"{parameter.name}: the console cannot attach files")
        else:
            return raw
    except ValueError as error:
        if isinstance(error, InputError):
            raise
        raise InputError(f"{parameter.name}: {raw!r} is not a valid {kind.name}") from None
    _in_range(parameter, number, raw)
    return number


def _is_question(words: list[_Word]) -> bool:
    return bool(words) and words[-1].text.endswith("?") and not words[-1].ends_quoted


def _joined(words: list[_Word]) -> str:
    return " ".join(word.text for word in words)


def parse_invocation(line: str, tree: app_commands.CommandTree[Any]) -> Invocation:
    """Parse one line; bare values fill the first unfilled options in declaration order, required first."""
    words = _words(line.strip().removeprefix("/"))
    if not words:
        raise InputError("Type a command such as /result kansas")
    command, used = _leaf(tree, [w.text for w in words])
    parameters = {p.name: p for p in command.parameters}
    listed = ", ".join(parameters) or "no options"
    bare: list[_Word] = []
    named: dict[str, list[_Word]] = {}
    current: list[_Word] = bare
    for word in words[used:]:
        key = word.text[: word.colon].lower() if word.colon > 0 else ""
        rest = word.text[word.colon + 1 :]
        if key in parameters:
            if key in named:
                raise InputError(f"{key} is given twice")
            current = named[key] = [_Word(rest, ends_quoted=word.ends_quoted)] if rest or word.ends_quoted else []
        elif key and _OPTION_LIKE.match(key) and rest and not rest.startswith("//"):
            raise InputError(
                f"/{command.qualified_name} has no option {key!r} (it takes {listed}); "
                "put the value in quotes if the colon is part of it"
            )
        else:
            current.append(word)
    invocation = Invocation(name=command.qualified_name, command=command)
    order = [p for p in command.parameters if p.required] + [p for p in command.parameters if not p.required]
    if bare:
        free = [p for p in order if p.name not in named]
        if not free:
            raise InputError(f"/{command.qualified_name} has no option left for {_joined(bare)!r}")
        # The first free option takes the bare words together ("/result las vegas").
        if free[0].type is OptionType.string or _is_question(bare) or len(bare) == 1:
            named[free[0].name] = bare
        else:
            for parameter, word in zip(free, bare, strict=False):
                named[parameter.name] = [word]
    for name, value_words in named.items():
        if _is_question(value_words):
            if invocation.autocomplete is not None:
                raise InputError("Ask about one option at a time (one `?`)")
            typed = _joined(value_words)[:-1].rstrip()
            invocation.autocomplete = (name, typed)
            continue
        if not value_words:
            raise InputError(f"{name}: nothing after '{name}:' (type {name}:? to see what it takes)")
        invocation.options[name] = convert(parameters[name], _joined(value_words))
    missing = [p.name for p in command.parameters if p.required and p.name not in named]
    if missing and invocation.autocomplete is None:
        needs = " ".join(f"{name}:…" for name in missing)
        raise InputError(f"/{command.qualified_name} needs {needs} ({missing[0]}:? says what it takes)")
    return invocation
