"""Memoise read models until the race data changes, whoever changed it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from db.storage.database import Database

V = TypeVar("V")


class ChangeMemo(Generic[V]):
    """A small LRU of computed values, emptied as soon as the data version has moved since they were computed.

    The data version moves only with race-data writes (db.storage.connection.data_transaction), by this
    process or another: a trivia answer or a ledger row during a fan-out keeps the memo warm.
    Values must be immutable (frozen models, tuples): they are shared between callers.
    """

    def __init__(self, db: Database, *, size: int = 256) -> None:
        self._db = db
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._version: int | None = None

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[V]]) -> V:
        version = await self._db.data_version()
        if version != self._version:
            self._items.clear()
            self._version = version
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = await compute()
        # A data write may have landed while computing; only keep the value if nothing changed meanwhile.
        if await self._db.data_version() == version:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return value
