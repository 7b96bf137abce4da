"""`photofinish console`: type commands as in Discord; the real bot answers through simcord."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import discord
import simcord
from rich.console import Console
from rich.markup import escape

from bot.console.files import SavedPictures
from bot.console.options import ServerEntities, answer_question
from bot.console.parse import InputError, parse_invocation
from bot.console.render import Reader, render_message
from bot.console.server import ConsoleServer

Persona = Literal["admin", "fan"]
PERSONAS: tuple[Persona, ...] = ("admin", "fan")
# What simcord raises for input Discord itself would refuse (bad option values, missing permissions).
REFUSED = (simcord.SetupError, simcord.BackendError)

HELP = """Type commands as in Discord:
  /result kansas                  a bare value fills the first option
  /result track:kansas season:2024
  /result track:the monster mile  a value runs up to the next name: (no quotes)
  /quote search:"who won?"        quotes keep a name: or a final ? in a value
  /trivia play category:?         an option's choices, or what it takes
  /result track:kan?              autocomplete suggestions
  1  or  Full field               click a button of the last answer
  :wait 1h  (let time pass)   :as fan|admin  (who types)   :help   :quit"""


@dataclass(frozen=True)
class TypedReply:
    """What the console says to a slash command typed as plain text: an answer to `?`, or why it did not run."""

    text: str
    failed: bool


class ConsoleSession:
    """The console server (see bot/console/server.py) and whoever is typing."""

    def __init__(
        self,
        env: simcord.Env,
        bot: Any,
        out: Console,
        persona: Persona,
        server: ConsoleServer,
        *,
        pictures: SavedPictures | None = None,
    ) -> None:
        self.env = env
        self.bot = bot
        self.out = out
        self.server = server
        self.guild = server.guild
        self.channel = server.channels["race-chat"]
        self.actors: dict[str, Any] = dict(server.members)
        self.entities = ServerEntities(server.guild, self.actors)
        self.persona: Persona = persona
        self.last_message: Any = None
        self.last_buttons: list[dict[str, Any]] = []
        self.seen: set[int] = set()
        self.reader = Reader(now=bot.clock, mention_name=self.mention_name)
        self.pictures = pictures or SavedPictures()

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

    async def handle(self, line: str) -> bool:
        """Run one input line; False means quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":quit", ":q", "exit", "quit"):
            return False
        if line.startswith(":"):
            await self.console_command(line)
            return True
        if line.startswith("/"):
            await self.slash(line)
        else:
            await self.click(line)
        await self.show_channel_posts()
        return True

    async def console_command(self, line: str) -> None:
        """The console's own `:` commands (they are not Discord's)."""
        name, _, argument = line.partition(" ")
        argument = argument.strip()
        if name == ":help":
            self.out.print(escape(HELP))
        elif name == ":as":
            if argument not in PERSONAS:
                self.out.print(f"[red]:as takes admin (has Manage Server) or fan; typing as {self.persona}.[/red]")
                return
            self.persona = argument
            self.out.print(f"[dim]Now typing as {argument}.[/dim]")
        elif name == ":wait":
            try:
                seconds = parse_wait(argument)
            except ValueError:
                self.out.print("[red]:wait takes a length of time: 90 (seconds), 30s, 15m, 2h or 1d.[/red]")
                return
            try:
                await self.env.advance_time(seconds)
            except TimeoutError:
                self.out.print(
                    "[red]The bot did not settle while time passed; the clock moved as far as it could.[/red]"
                )
            self.out.print(f"[dim]{seconds:g} s passed; now {self.bot.clock():%Y-%m-%d %H:%M} UTC.[/dim]")
            await self.show_channel_posts()
        else:
            self.out.print(f"[red]No console command {escape(name)}; :help lists them.[/red]")

    async def slash(self, line: str) -> None:
        """A slash command typed in the terminal: run it (or answer its `?`) and show what came back."""
        self.out.print(f"[bold cyan]{self.persona}[/bold cyan] › {escape(line)}")
        try:
            invocation = parse_invocation(line, self.bot.tree)
            options = self.entities.options_of(invocation)
            if invocation.autocomplete is not None:
                for answer in await answer_question(self.actor, self.channel, invocation, options, self.entities):
                    self.out.print(escape(answer))
                return
            result = await self.actor.slash(self.channel, invocation.name, **options)
        except InputError as error:
            self.out.print(f"[red]{escape(str(error))}[/red]")
            return
        except REFUSED as error:
            self.out.print(f"[red]Discord would refuse that: {escape(str(error))}[/red]")
            return
        await self.show_result(result)

    async def typed_command(self, actor: Any, line: str) -> TypedReply | None:
        """A slash command sent as plain text (the browser preview): run it as `actor`, else what to say."""
        try:
            invocation = parse_invocation(line, self.bot.tree)
            options = self.entities.options_of(invocation)
            if invocation.autocomplete is not None:
                answer = await answer_question(actor, self.channel, invocation, options, self.entities)
                return TypedReply("\n".join(answer), failed=False)
            await actor.slash(self.channel, invocation.name, **options)
        except InputError as error:
            return TypedReply(str(error), failed=True)
        except REFUSED as error:
            return TypedReply(f"Discord would refuse that: {error}", failed=True)
        return None

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
            self.out.print(f"[red]No button {escape(repr(text))}; pick 1-{len(self.last_buttons)}.[/red]")
            return
        label = escape(str(chosen.get("label")))
        self.out.print(f"[bold cyan]{self.persona}[/bold cyan] › clicks [reverse] {label} [/reverse]")
        try:
            result = await self.actor.click(self.last_message, custom_id=chosen["custom_id"])
        except REFUSED as error:
            self.out.print(f"[red]{escape(str(error))}[/red]")
            return
        await self.show_result(result)

    async def show_result(self, result: simcord.InteractionResult) -> None:
        messages = [m for m in (result.response, *result.followups) if m is not None]
        if not messages:
            self.out.print("[dim](the bot acknowledged without a message)[/dim]")
        for message in messages:
            self.seen.add(message.id)
            await self._render(message.message)
        if result.response is None and result.acknowledged:
            # A component that edited its message in place: show the message as it is now.
            updated = self.channel.last_message
            if updated is not None:
                await self._render(updated)

    async def _render(self, message: discord.Message) -> None:
        components = [c.to_dict() for c in message.components]
        found = render_message(
            self.out,
            content=message.content,
            embeds=message.embeds,
            components=components,  # type: ignore[arg-type]
            ephemeral=message.flags.ephemeral,
            reader=self.reader,
            attachments=message.attachments,
            saved=await self.pictures.save(message.id, message.attachments),
            edited=message.edited_at is not None,
        )
        if found:
            self.last_message, self.last_buttons = message, found

    async def show_channel_posts(self) -> None:
        """Messages the bot posted on its own (alerts, reminders) since the last look."""
        for channel in self.guild.channels.values():
            for message in channel.history():
                if message.id in self.seen or message.interaction_metadata is not None:
                    self.seen.add(message.id)
                    continue
                self.seen.add(message.id)
                if message.author.id == self.bot.user.id:
                    self.out.print(f"[bold magenta]#{channel.name}[/bold magenta]")
                    await self._render(message)


def parse_wait(text: str) -> float:
    """`90`, `30s`, `15m`, `2h`, `1d` as seconds; ValueError for anything else (or a negative time)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    seconds = float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text)
    if not 0 <= seconds < float("inf"):
        raise ValueError(text)
    return seconds
