"""The offline console: Discord-like input in, rendered answers out."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rich.console import Console

from bot.console.main import run_console
from bot.console.parse import InputError, parse_invocation
from bot.console.session import Persona, parse_wait
from bot.settings import Settings
from tests.bot.charts.png import assert_chart_png
from tests.conftest import World

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def tree(world: World):  # type: ignore[no-untyped-def]
    return world.bot.tree


async def test_bare_value_fills_the_first_required_option(tree) -> None:  # type: ignore[no-untyped-def]
    invocation = parse_invocation("/result las vegas", tree)
    assert invocation.name == "result"
    assert invocation.options == {"track": "las vegas"}


async def test_named_options_are_converted_to_their_types(tree) -> None:  # type: ignore[no-untyped-def]
    invocation = parse_invocation('/result track:"kansas speedway" season:2024', tree)
    assert invocation.options == {"track": "kansas speedway", "season": 2024}


async def test_question_mark_asks_for_autocomplete(tree) -> None:  # type: ignore[no-untyped-def]
    invocation = parse_invocation("/result track:kan?", tree)
    assert invocation.autocomplete == ("track", "kan")


async def test_bad_input_is_explained(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="Unknown command /nope"):
        parse_invocation("/nope", tree)
    with pytest.raises(InputError, match="season"):
        parse_invocation("/result track:kansas season:soon", tree)


def test_wait_understands_units() -> None:
    assert parse_wait("90") == 90
    assert parse_wait("2h") == 7200


async def test_console_session_renders_the_kansas_result(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO("/result kansas\n/result track:dega?\n"))
    buffer = io.StringIO()
    out = Console(file=buffer, width=110, color_system=None)
    code = await run_console(
        settings, now=dt.datetime(2024, 5, 6, tzinfo=dt.UTC), persona="fan", out=out, interactive=False
    )
    text = buffer.getvalue()
    assert code == 0
    assert "Kyle Larson" in text and "Chris Buescher" in text and "0.001" in text
    assert "Talladega Superspeedway" in text


def test_piped_console_process_prints_the_result(tmp_path: Path) -> None:
    """What the README promises: `printf '/result kansas\\n' | photofinish console`."""
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "console.db"), "DISCORD_TOKEN": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/result kansas\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Kyle Larson" in done.stdout and "Chris Buescher" in done.stdout and "0.001" in done.stdout
    assert "Traceback" not in done.stderr


async def run_script(settings: Settings, monkeypatch: pytest.MonkeyPatch, script: str, persona: Persona = "fan") -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    buffer = io.StringIO()
    out = Console(file=buffer, width=110, color_system=None)
    now = dt.datetime(2024, 5, 6, 16, tzinfo=dt.UTC)
    assert await run_console(settings, now=now, persona=persona, out=out, interactive=False) == 0
    return buffer.getvalue()


async def test_values_with_spaces_need_no_quotes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    text = await run_script(settings, monkeypatch, "/result track:the monster mile\n/quote driver:Kyle Larson\n")

    assert "is not a valid integer" not in text and "a race called" not in text
    assert "Dover Motor Speedway" in text
    assert "Kyle Larson [seed-" in text  # the quote's author line: who said it


async def test_help_says_values_run_to_the_next_option(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    text = await run_script(settings, monkeypatch, ":help\n")

    assert "a value runs up to the next name:" in " ".join(text.split())


async def test_console_commands_say_what_they_accept(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    text = await run_script(settings, monkeypatch, ":as bogus\n:wait soon\n:wait -5m\n:bogus\n:as admin\n:as\n")

    assert ":as takes admin (has Manage Server) or fan; typing as fan." in text
    assert text.count(":wait takes a length of time: 90 (seconds), 30s, 15m, 2h or 1d.") == 2
    assert "No console command :bogus; :help lists them." in text
    assert "Now typing as admin." in text
    assert ":as takes admin (has Manage Server) or fan; typing as admin." in text


async def test_unknown_channels_roles_and_members_are_named(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = (
        "/alerts setup channel:#nowhere\n/trivia stats user:@nobody\n"
        "/alerts setup channel:race-alerts role:@Race Fans\n"
    )
    text = await run_script(settings, monkeypatch, script, persona="admin")

    assert "channel: no '#nowhere' here; it takes one of #race-chat, #race-alerts" in text
    assert "user: no '@nobody' here; it takes one of @admin, @fan" in text
    assert "NASCAR Cup Series → #race-alerts · pings @Race Fans" in text


async def test_wrong_input_never_ends_the_console(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    script = '/nope\n/result\n/result track:"kansas\n/closest count:0\n7\n/alerts setup channel:#race-chat\n/ping\n'
    text = await run_script(settings, monkeypatch, script)

    assert "Unknown command /nope" in text
    assert "Pong" in text or "pong" in text.lower()  # the last line still ran


async def test_a_chart_is_saved_and_its_path_printed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the console saves under the system's temp folder

    text = await run_script(settings, monkeypatch, "/closest count:5\n")

    [line] = [line for line in text.splitlines() if "closest-finishes.png saved:" in line]
    path = Path(line.split("saved: ", 1)[1].rstrip("]"))
    assert path.parent == tmp_path / "photofinish-console" and path.name.endswith("-closest-finishes.png")
    assert_chart_png(await asyncio.to_thread(path.read_bytes))
    assert "[image: closest-finishes.png]" in text  # where the embed shows it
    assert "(edited)" in text  # the chart came by editing the answer, as on Discord


async def test_a_spoiler_safe_result_keeps_its_bars_in_the_terminal(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = await run_script(settings, monkeypatch, "/result track:kansas spoilers:true\n")

    assert "Result hidden for fans watching on replay" in text
    assert "||🏁 Kyle Larson (#5" in text  # no colour here: the covered text reads between the bars
