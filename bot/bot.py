"""The Bot subclass: dependencies come in through the constructor, extensions load in setup_hook."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from typing import Any, Literal, TypedDict

import discord
from discord.ext import commands

from bot.clock import Clock, system_clock
from bot.cluster import Cluster
from bot.pacing import gate_for, interactive_for_interactions, share_budget
from bot.settings import Settings
from bot.shards import Shards
from bot.tree import PhotoFinishTree
from bot.views.unclaimed import ComponentClaims, answer_unclaimed
from db.repos.leases import LeaseStore
from db.repos.meta import MetaStore
from db.store import Store

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = (
    "cogs.results",
    "cogs.meta",
    "cogs.drivers",
    "cogs.quotes",
    "cogs.closest",
    "cogs.feed",
    "cogs.trivia",
    "cogs.schedule",
    "cogs.alerts",
    "cogs.charts",
    "cogs.standings",
    "cogs.events",
    "cogs.spoilers",
)

SyncPolicy = Literal["if_changed", "always", "never"]


def default_intents() -> discord.Intents:
    """Slash commands need no privileged intents and no member cache."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_scheduled_events = True  # not privileged: tells /events when an admin deletes an event
    return intents


def several_shards(settings: Settings) -> bool:
    """SHARD_COUNT with several SHARD_IDS, none (this process runs them all) or `auto` (known once taken):
    discord.py's AutoShardedBot."""
    ids = settings.shard_ids
    return settings.shard_count is not None and (ids is None or ids == "auto" or len(ids) > 1)


class ShardOptions(TypedDict, total=False):
    shard_count: int
    shard_id: int


def shard_options(settings: Settings) -> ShardOptions:
    """The shard arguments of discord.py's client: none without SHARD_COUNT (one plain connection, as ever);
    the sharded bot sets its shard_ids itself."""
    if settings.shard_count is None:
        return {}
    if several_shards(settings):
        return {"shard_count": settings.shard_count}
    assert isinstance(settings.shard_ids, list)
    return {"shard_count": settings.shard_count, "shard_id": settings.shard_ids[0]}


class PhotoFinish(commands.Bot):
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        clock: Clock = system_clock,
        extensions: Sequence[str] = EXTENSIONS,
        sync_policy: SyncPolicy = "if_changed",
    ) -> None:
        shards = Shards.of(settings)  # whose servers this process posts alerts for
        # Every REST request discord.py makes passes the gate inside its own session (bot/pacing.py).
        gate = gate_for(settings, shards)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=default_intents(),
            tree_cls=PhotoFinishTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            http_trace=gate.trace_config(),
            **shard_options(settings),
        )
        self.rest_gate = gate
        interactive_for_interactions(self._connection.parsers, gate)
        self.settings = settings
        self.our_shards = shards  # not `shards`: AutoShardedClient has that (its gateway connections)
        self.store = store
        self.clock = clock
        # Leases shared with the other processes on the database (bot/cluster.py); started where needed.
        self.cluster = Cluster(LeaseStore(store.db), shards, clock)
        self._identify_concurrency: int | None = None  # Discord's max_concurrency, asked once
        self.initial_extensions = tuple(extensions)
        self.sync_policy = sync_policy
        self.component_claims = ComponentClaims()

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[discord.ui.Item[Any]]]) -> None:
        super().add_dynamic_items(*items)
        self.component_claims.add(*items)

    def remove_dynamic_items(self, *items: type[discord.ui.DynamicItem[discord.ui.Item[Any]]]) -> None:
        super().remove_dynamic_items(*items)
        self.component_claims.remove(*items)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """A click that no registered button will answer still gets "no longer active" (bot/views/unclaimed.py)."""
        await answer_unclaimed(self, self.component_claims, interaction)

    async def setup_hook(self) -> None:
        if self.settings.shard_count is not None:  # other processes run the other shards
            await self.cluster.start()
        for extension in self.initial_extensions:
            # login() runs setup_hook again when a test restarts the same bot object.
            if extension not in self.extensions:
                await self.load_extension(extension)
        await self.sync_commands()

    def command_signature_hash(self) -> str:
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands()]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    async def sync_commands(self) -> None:
        """Sync to DEV_GUILD_ID (copying the global commands) or globally, only when signatures changed."""
        if self.sync_policy == "never":
            return
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        scope = f"command_sync_hash:{guild.id if guild else 'global'}"
        digest = self.command_signature_hash()
        meta = MetaStore(self.store.db)
        if self.sync_policy == "if_changed" and await meta.get_state(key=scope) == digest:
            log.info("Command signatures unchanged; skipping sync")
            return
        # Processes starting together sync once: the others skip (the stored digest tells them next time).
        if self.cluster.running and not await self.cluster.once("command-sync"):
            log.info("Another process is syncing the commands; skipping sync")
            return
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        await meta.set_state(key=scope, value=digest)
        if self.cluster.running:
            await self.cluster.done("command-sync")
        log.info("Synced %d commands %s", len(synced), f"to guild {guild.id}" if guild else "globally")

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Across processes, one IDENTIFY per max_concurrency bucket per 5 s (bot/cluster.py); alone, discord.py's."""
        if not self.cluster.running or shard_id is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        if self._identify_concurrency is None:
            _, _, limits = await self.http.get_bot_gateway()
            self._identify_concurrency = int(limits.get("max_concurrency", 1))
        await self.cluster.identify_turn(shard_id, self._identify_concurrency)

    async def close(self) -> None:
        await self.cluster.stop()  # a clean stop gives the leases back at once
        await super().close()


class ShardedPhotoFinish(PhotoFinish, commands.AutoShardedBot):
    """The same bot over several gateway connections in one process (discord.py launches and spaces them)."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        clock: Clock = system_clock,
        extensions: Sequence[str] = EXTENSIONS,
        sync_policy: SyncPolicy = "if_changed",
    ) -> None:
        super().__init__(settings=settings, store=store, clock=clock, extensions=extensions, sync_policy=sync_policy)
        # None: every shard (SHARD_COUNT alone); with `auto`, set in setup_hook once taken.
        self.shard_ids = settings.shard_ids if isinstance(settings.shard_ids, list) else None

    async def setup_hook(self) -> None:
        if self.our_shards.auto and not self.our_shards.own:
            # SHARD_IDS=auto: take free shards first (a hot standby waits here), then connect just those.
            taken = await self.cluster.claim_shards(self.settings.shards_per_process)
            self.shard_ids = sorted(taken)
            share_budget(self.rest_gate, self.settings, self.our_shards)
        await super().setup_hook()


def bot_for(
    settings: Settings, *, store: Store, clock: Clock = system_clock, sync_policy: SyncPolicy = "if_changed"
) -> PhotoFinish:
    """PhotoFinish, or its sharded form when this process runs several shards."""
    cls = ShardedPhotoFinish if several_shards(settings) else PhotoFinish
    return cls(settings=settings, store=store, clock=clock, sync_policy=sync_policy)
