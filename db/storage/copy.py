"""`photofinish db copy`: every row of one database into another, either backend to either.

The target is migrated first (opening it does that) and must hold no data yet; the rows go in table by table
in foreign-key order, in batches, inside one transaction on the target, so a failed copy leaves nothing
half-written. PostgreSQL's identity sequences are moved past the copied ids afterwards, or the next insert
would collide with a copied row.
"""

from __future__ import annotations

from collections.abc import Callable

from db.storage.catalog import Table, in_foreign_key_order, row_count, table_names
from db.storage.database import Database, DatabaseError

BATCH = 1_000
# Rows the migrations themselves write: the target's are replaced by the source's.
SEEDED = ("series", "data_version")

Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in all


class CopyRefused(DatabaseError):
    """The copy cannot start (the target already holds data, or the two schemas differ)."""


async def occupied(db: Database) -> list[str]:
    """Tables of `db` that already hold rows the migrations did not write."""
    return [name for name in await table_names(db) if name not in SEEDED and await row_count(db, name)]


async def copy_database(
    source: Database, target: Database, *, progress: Progress | None = None
) -> list[tuple[str, int]]:
    """Copy every table's rows from `source` into the empty, migrated `target`; rows copied per table."""
    full = await occupied(target)
    if full:
        raise CopyRefused(f"the target already holds data ({', '.join(full[:4])}{', …' if len(full) > 4 else ''})")
    tables = await in_foreign_key_order(source)
    wanted = set(await table_names(target))
    missing = [t.name for t in tables if t.name not in wanted]
    if missing:
        raise CopyRefused(f"the target has no table {missing[0]} (is it migrated by an older bot?)")
    copied: list[tuple[str, int]] = []
    async with target.transaction():
        for name in SEEDED:
            await target.execute(f'DELETE FROM "{name}"')
        for table in tables:
            copied.append((table.name, await _copy_table(source, target, table, progress)))
        if target.dialect.name == "postgres":
            for table in tables:
                await _reset_identity(target, table.name)
    if target.dialect.name == "postgres":
        # Fresh statistics: until autovacuum comes round, the planner would take the copied tables for empty.
        await target.execute("ANALYZE")
    return copied


async def _copy_table(source: Database, target: Database, table: Table, progress: Progress | None) -> int:
    total = await row_count(source, table.name)
    columns = ", ".join(f'"{c}"' for c in table.columns)
    marks = ", ".join("?" * len(table.columns))
    insert = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    order = ", ".join(f'"{c}"' for c in table.primary_key) or columns
    done = 0
    if progress:
        progress(table.name, 0, total)
    while done < total:
        rows = await source.fetch(
            f'SELECT {columns} FROM "{table.name}" ORDER BY {order} LIMIT ? OFFSET ?', (BATCH, done)
        )
        if not rows:
            break
        await target.execute_many(insert, [tuple(row) for row in rows])
        done += len(rows)
        if progress:
            progress(table.name, done, total)
    return done


async def _reset_identity(db: Database, table: str) -> None:
    rows = await db.fetch(
        """SELECT a.attname FROM pg_attribute a
           WHERE a.attrelid = (current_schema() || '.' || ?)::regclass AND a.attidentity <> ''""",
        (table,),
    )
    for (column,) in rows:
        await db.execute(
            f"""SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'),
                              coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)"""
        )
