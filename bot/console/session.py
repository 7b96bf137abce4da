"""`photofinish console`: type commands as in Discord; the real bot answers through simcord."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import AsyncIterator
from typing import Any, Literal

import discord
import simcord
from rich.console import Console

from bot.app import open_bot
from bot.clock import VirtualClock
from bot.console.parse import InputError, parse_invocation
from bot.console.render import Reader, render_message
from bot.settings import Settings

Persona = Literal["admin", "fan"]

HELP = """Type commands as in Discord: /result kansas · /result track:kansas season:2024 ·
/result track:kan? (autocomplete) · a number or a button label clicks a button of the last answer ·
:wait 1h (let time pass) · :as fan|admin · :help · :quit"""


class ConsoleSession:
    """One simcord world: a server with a #race-chat channel, an admin and a fan."""

    def __init__(self, env: simcord.Env, bot: Any, out: Console, persona: Persona) -> None:
        self.env = env
        self.bot = bot
        self.out = out
        guild = env.create_guild(name="Photo Finish Console")
        self.guild = guild
        self.channel = guild.create_text_channel("race-chat")
        guild.create_text_channel("race-alerts")
        admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True, manage_messages=True))
        guild.create_role("Race Fans")
        self.actors = {
            "admin": guild.add_member(env.create_user("admin"), roles=[admins]),
            "fan": guild.add_member(env.create_user("fan")),
        }
        self.persona: Persona = persona
        self.last_message: Any = None
        self.last_buttons: list[dict[str, Any]] = []
        self.seen: set[int] = set()
        self.reader = Reader(now=bot.clock, mention_name=self.mention_name)

    def mention_name(self, kind: str, entity_id: int) -> str | None:
        """`<#id>`, `<@&id>` and `<@id>` as the names a Discord reader would see."""
        guild = self.bot.get_guild(self.guild.id)
        if kind == "#":
            name = getattr(self.bot.get_channel(entity_id), "name", None)
            return str(name) if name else None
        if kind == "@&":
            role = guild.get_role(entity_id) if guild else None
            return str(role.name) if role else None
        user = self.bot.get_user(entity_id)
        if user is not None:
            return str(user.name)
        return next((name for name, actor in self.actors.items() if actor.id == entity_id), None)

    @property
    def actor(self) -> Any:
        return self.actors[self.persona]

    def _option_value(self, value: Any) -> Any:
        """`#channel` and `@role` refer to the console server's channels and roles."""
        if isinstance(value, str) and value.startswith("#") and value[1:] in self.guild.channels:
            return self.guild.channels[value[1:]]
        if isinstance(value, str) and value.startswith("@") and value[1:] in self.guild.roles:
            return self.guild.roles[value[1:]]
        return value

    async def handle(self, line: str) -> bool:
        """Run one input line; False means quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":quit", ":q", "exit", "quit"):
            return False
        if line == ":help":
            self.out.print(HELP)
            return True
        if line.startswith(":as "):
            persona = line.split()[1]
            if persona in ("admin", "fan"):
                self.persona = persona  # type: ignore[assignment]
                self.out.print(f"[dim]Now typing as {persona}.[/dim]")
            return True
        if line.startswith(":wait "):
            seconds = parse_wait(line.split(maxsplit=1)[1])
            await self.env.advance_time(seconds)
            self.out.print(f"[dim]{seconds:g} s passed; now {self.bot.clock():%Y-%m-%d %H:%M} UTC.[/dim]")
            self.show_channel_posts()
            return True
        if line.startswith("/"):
            await self.slash(line)
        else:
            await self.click(line)
        self.show_channel_posts()
        return True

    async def slash(self, line: str) -> None:
        self.out.print(f"[bold cyan]{self.persona}[/bold cyan] › {line}")
        try:
            invocation = parse_invocation(line, self.bot.tree)
        except InputError as error:
            self.out.print(f"[red]{error}[/red]")
            return
        options = {k: self._option_value(v) for k, v in invocation.options.items()}
        if invocation.autocomplete is not None:
            option, typed = invocation.autocomplete
            choices = await self.actor.autocomplete(self.channel, invocation.name, option, typed, **options)
            for choice in choices:
                self.out.print(f"  • {choice['name']}")
            if not choices:
                self.out.print("  (no suggestions)")
            return
        try:
            result = await self.actor.slash(self.channel, invocation.name, **options)
        except (simcord.OptionError, simcord.SetupError, simcord.BackendError) as error:
            self.out.print(f"[red]{error}[/red]")
            return
        self.show_result(result)

    async def click(self, text: str) -> None:
        if not self.last_buttons:
            self.out.print("[red]Nothing to click: start with a command such as /result kansas (:help).[/red]")
            return
        chosen = None
        if text.isdigit() and 1 <= int(text) <= len(self.last_buttons):
            chosen = self.last_buttons[int(text) - 1]
        else:
            chosen = next((b for b in self.last_buttons if (b.get("label") or "").casefold() == text.casefold()), None)
        if chosen is None:
            self.out.print(f"[red]No button {text!r}; pick 1-{len(self.last_buttons)}.[/red]")
            return
        self.out.print(f"[bold cyan]{self.persona}[/bold cyan] › clicks [reverse] {chosen.get('label')} [/reverse]")
        try:
            result = await self.actor.click(self.last_message, custom_id=chosen["custom_id"])
        except (simcord.SetupError, simcord.BackendError) as error:
            self.out.print(f"[red]{error}[/red]")
            return
        self.show_result(result)

    def show_result(self, result: simcord.InteractionResult) -> None:
        messages = [m for m in (result.response, *result.followups) if m is not None]
        if not messages:
            self.out.print("[dim](the bot acknowledged without a message)[/dim]")
        for message in messages:
            self.seen.add(message.id)
            found = render_message(
                self.out,
                content=message.content,
                embeds=message.embeds,
                components=message.components,
                ephemeral=message.ephemeral,
                reader=self.reader,
            )
            if found:
                self.last_message, self.last_buttons = message, found
        if result.response is None and result.acknowledged:
            # A component that edited its message in place: show the message as it is now.
            updated = self.channel.last_message
            if updated is not None:
                self._render_plain(updated)

    def _render_plain(self, message: discord.Message) -> None:
        components = [c.to_dict() for c in message.components]
        found = render_message(
            self.out,
            content=message.content,
            embeds=message.embeds,
            components=components,  # type: ignore[arg-type]
            ephemeral=False,
            reader=self.reader,
        )
        if found:
            self.last_message, self.last_buttons = message, found

    def show_channel_posts(self) -> None:
        """Messages the bot posted on its own (alerts, reminders) since the last look."""
        for channel in self.guild.channels.values():
            for message in channel.history():
                if message.id in self.seen or message.interaction_metadata is not None:
                    self.seen.add(message.id)
                    continue
                self.seen.add(message.id)
                if message.author.id == self.bot.user.id:
                    self.out.print(f"[bold magenta]#{channel.name}[/bold magenta]")
                    self._render_plain(message)


def parse_wait(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    if text and text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


async def _lines(interactive: bool) -> AsyncIterator[str]:
    if interactive:
        while True:
            try:
                yield await asyncio.to_thread(input, "› ")
            except EOFError:
                return
    else:
        for line in sys.stdin:
            yield line


def start_simulated_clock_at(env: simcord.Env, start: dt.datetime) -> None:
    """Make simcord's own clock (message times in the preview) read `start`, like the bot's clock.

    simcord 3.2 (pinned) starts its clock at 2026-01-01 and offers no setting for it; its clock
    keeps the epoch in `_epoch`. If a later simcord drops that, message times just keep its default.
    """
    clock = getattr(env.backend, "clock", None)
    if clock is not None and hasattr(clock, "_epoch"):
        clock._epoch = start - dt.timedelta(seconds=clock.elapsed)


async def run_console(
    settings: Settings,
    *,
    now: dt.datetime | None,
    persona: Persona,
    out: Console | None = None,
    interactive: bool | None = None,
    web: bool = False,
    port: int | None = None,
) -> int:
    out = out or Console()
    interactive = sys.stdin.isatty() if interactive is None else interactive
    clock = VirtualClock(now or dt.datetime.now(dt.UTC))
    async with (
        open_bot(settings, clock=clock, sync_policy="always") as bot,
        simcord.run(bot, check_errors=False, settle_timeout=30.0) as env,
    ):
        start_simulated_clock_at(env, clock())
        clock.attach(env.now)
        session = ConsoleSession(env, bot, out, persona)
        if web:
            from bot.console.web import serve_preview

            return await serve_preview(session, out, port=port)
        if interactive:
            out.print(f"[bold]Photo Finish console[/bold] — offline, clock {clock():%Y-%m-%d %H:%M} UTC. {HELP}")
        async for line in _lines(interactive):
            if not await session.handle(line):
                break
    return 0
