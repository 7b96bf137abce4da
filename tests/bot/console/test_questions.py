"""`option:?` on every option of every command, through a piped console: an answer each time, never a crash.

The commands are read from the bot's own tree, so a command added later is covered without touching this test.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from discord import app_commands
from rich.console import Console

from bot.app import open_bot
from bot.console.main import run_console
from bot.settings import Settings

NOW = dt.datetime(2024, 5, 6, 16, tzinfo=dt.UTC)


def leaves(node: Any) -> Iterator[app_commands.Command[Any, ..., Any]]:
    if isinstance(node, app_commands.Group):
        for child in node.commands:
            yield from leaves(child)
    elif isinstance(node, app_commands.Command):
        yield node


async def every_option(settings: Settings) -> list[tuple[str, app_commands.Parameter]]:
    """(command, option) for every option of every slash command the bot registers."""
    async with open_bot(settings, sync_policy="never") as bot:
        for extension in bot.initial_extensions:
            await bot.load_extension(extension)
        return [(c.qualified_name, p) for root in bot.tree.get_commands() for c in leaves(root) for p in c.parameters]


async def run_piped(settings: Settings, script: str, monkeypatch: pytest.MonkeyPatch, persona: str = "admin") -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, color_system=None)
    code = await run_console(settings, now=NOW, persona=persona, out=out, interactive=False)  # type: ignore[arg-type]
    assert code == 0
    return buffer.getvalue()


def answers_by_line(text: str) -> dict[str, str]:
    """What the console printed after each typed line, keyed by the line."""
    parts = re.split(r"^admin › (.*)$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


async def test_question_mark_on_every_option_answers(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    options = await every_option(settings)
    assert len(options) > 20  # the tree really was walked
    lines = [f"/{command} {parameter.name}:?" for command, parameter in options]
    text = await run_piped(settings, "\n".join(lines) + "\n", monkeypatch)

    answered = answers_by_line(text)
    assert "Traceback" not in text
    assert set(answered) == set(lines), "the console stopped before the last line"
    for (_, parameter), line in zip(options, lines, strict=True):
        answer = answered[line]
        assert "refuse" not in answer and "autocomplete" not in answer, (line, answer)
        if parameter.choices:
            shown = [c.name for c in parameter.choices]
            assert all(f"• {name}" in answer for name in shown), (line, answer)
        elif not parameter.autocomplete:
            assert answer.strip().startswith(f"{parameter.name}: "), (line, answer)
            assert ("required" if parameter.required else "optional") in answer, (line, answer)
        else:
            assert "•" in answer or "(no suggestions)" in answer, (line, answer)


async def test_question_marks_the_issue_reported_say_what_the_option_takes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = "/alerts setup channel:?\n/closest count:?\n/trivia play category:?\n/trivia play category:qu?\n"
    answered = answers_by_line(await run_piped(settings, script, monkeypatch))

    assert "#race-chat, #race-alerts" in answered["/alerts setup channel:?"]
    assert "a whole number from 1 to 25 (optional)" in answered["/closest count:?"]
    assert "• closest" in answered["/trivia play category:?"] and "• quotes" in answered["/trivia play category:?"]
    assert answered["/trivia play category:qu?"].split() == ["•", "quotes"]


async def test_a_typed_value_filters_fixed_choices_and_says_when_none_match(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = answers_by_line(await run_piped(settings, "/next series:tr?\n/next series:zz?\n", monkeypatch))

    assert answered["/next series:tr?"].split() == ["•", "truck"]
    assert "no choice matches 'zz'; series is one of cup, xfinity, truck" in answered["/next series:zz?"]
