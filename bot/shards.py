"""Which servers this process posts alerts for: Discord's shard formula on the guild id, not the gateway cache.

Discord puts a guild on shard `(guild_id >> 22) % shard_count`. The gateway cache (`bot.get_guild`) is
empty until each guild is delivered after READY and never holds another process's guilds, so planning
from it skipped servers at start-up; the id alone says whose a server is, in every process alike.
Without SHARD_COUNT there is one shard and every server is ours. The held set can grow at run time:
a survivor adopts a dead process's shards for posting (REST needs no gateway connection for them).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.settings import Settings


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule for which shard a guild's events arrive on."""
    return (guild_id >> 22) % shard_count


class Shards:
    """The shards this process works for: those it connects, plus any it adopted from a dead process."""

    def __init__(self, count: int = 1, held: Iterable[int] | None = None) -> None:
        if count < 1:
            raise ValueError("a bot has at least one shard")
        ids = frozenset(range(count) if held is None else held)
        if not all(0 <= shard < count for shard in ids):
            raise ValueError(f"shard ids run from 0 to {count - 1}, not {sorted(ids)}")
        self.count = count
        self.own = ids  # connected by this process (SHARD_IDS, or those taken with `auto`)
        self.adopted: frozenset[int] = frozenset()
        self.auto = False  # SHARD_IDS=auto: `own` is empty until the process has taken free shards

    @classmethod
    def of(cls, settings: Settings) -> Shards:
        """SHARD_COUNT and SHARD_IDS as set; no SHARD_IDS means every shard (one process runs them all)."""
        if settings.shard_ids == "auto":
            shards = cls(settings.shard_count or 1, [])
            shards.auto = True
            return shards
        return cls(settings.shard_count or 1, settings.shard_ids)

    def take(self, shards: Iterable[int]) -> None:
        """The shards an `auto` process won (bot/cluster.py claim_shards): now its own."""
        self.own = frozenset(shards)
        self.adopted -= self.own

    @property
    def held(self) -> frozenset[int]:
        return self.own | self.adopted

    def is_ours(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.held

    def adopt(self, shards: Iterable[int]) -> bool:
        """Post for these shards too (their process is gone) or stop (it is back); whether the set changed."""
        adopted = frozenset(shards) - self.own
        changed = adopted != self.adopted
        self.adopted = adopted
        return changed

    def share(self) -> float:
        """This process's part of the bot's one REST budget: the shards it connects over all shards."""
        return len(self.own) / self.count
