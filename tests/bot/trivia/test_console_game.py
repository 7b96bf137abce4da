"""The offline console plays a game: buttons clicked by number, `:wait` moves simcord's virtual time."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest
from rich.console import Console

from bot.console.main import run_console
from bot.settings import Settings


async def test_console_plays_a_two_question_game(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    script = "/trivia play questions:2\n1\n:wait 30s\n2\n:wait 30s\n/trivia leaderboard\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    buffer = io.StringIO()
    out = Console(file=buffer, width=110, color_system=None)

    code = await run_console(
        settings, now=dt.datetime(2024, 5, 6, 12, tzinfo=dt.UTC), persona="fan", out=out, interactive=False
    )

    text = buffer.getvalue()
    assert code == 0
    assert "Question 1 of 2" in text and "Question 2 of 2" in text
    assert text.count("Locked in") == 2
    assert text.count("Answer: ") == 2 and "Source" in text
    assert "Final standings" in text
    assert "Trivia leaderboard" in text and "/2 right" in text
