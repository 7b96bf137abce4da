"""Memoise read models until the database changes, whoever changed it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

import aiosqlite

V = TypeVar("V")

# total_changes() moves with this connection's writes, data_version with any other connection's
# commits (another process running `photofinish data load`, say): together, any change at all.
_STAMP_SQL = "SELECT total_changes(), data_version FROM pragma_data_version"


class ChangeMemo(Generic[V]):
    """A small LRU of computed values, emptied as soon as the database has changed since they were computed.

    Values must be immutable (frozen models, tuples): they are shared between callers.
    """

    def __init__(self, conn: aiosqlite.Connection, *, size: int = 256) -> None:
        self._conn = conn
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._stamp: tuple[int, int] | None = None

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[V]]) -> V:
        async with self._conn.execute(_STAMP_SQL) as cursor:
            row = await cursor.fetchone()
        stamp = (int(row[0]), int(row[1])) if row else None
        if stamp != self._stamp or stamp is None:
            self._items.clear()
            self._stamp = stamp
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = await compute()
        # A write may have landed while computing; only keep the value if nothing changed meanwhile.
        async with self._conn.execute(_STAMP_SQL) as cursor:
            row = await cursor.fetchone()
        if row is not None and (int(row[0]), int(row[1])) == stamp:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return value
