"""What a schema holds, asked of either backend's catalog: tables, columns and keys.

`db copy` walks tables in foreign-key order with it, and a test checks that both dialects' migrations
build the same tables, columns and keys from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.storage.database import Database, fetch_value

# Bookkeeping a backend keeps beside the data: not part of the schema both dialects share.
_NOT_DATA_SQLITE = "name NOT LIKE 'quotes_fts%' AND name NOT LIKE 'sqlite_%'"
_NOT_DATA_POSTGRES = "'schema_version'"


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


@dataclass
class Table:
    name: str
    columns: list[str] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    unique: set[tuple[tuple[str, ...], bool]] = field(default_factory=set)  # (columns, partial)
    foreign_keys: set[ForeignKey] = field(default_factory=set)


async def table_names(db: Database) -> list[str]:
    if db.dialect.name == "sqlite":
        rows = await db.fetch(
            f"SELECT name FROM sqlite_master WHERE type = 'table' AND {_NOT_DATA_SQLITE} ORDER BY name"
        )
    else:
        rows = await db.fetch(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
            f" AND c.relkind = 'r' AND c.relname NOT IN ({_NOT_DATA_POSTGRES}) ORDER BY c.relname"
        )
    return [str(row[0]) for row in rows]


async def describe(db: Database, name: str) -> Table:
    """One table's columns (in order), primary key, unique keys and foreign keys."""
    if db.dialect.name == "sqlite":
        return await _describe_sqlite(db, name)
    return await _describe_postgres(db, name)


async def _describe_sqlite(db: Database, name: str) -> Table:
    table = Table(name)
    info = await db.fetch(f"PRAGMA table_info('{name}')")
    table.columns = [str(row["name"]) for row in info]
    table.primary_key = tuple(str(r["name"]) for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"]))
    for index in await db.fetch(f"PRAGMA index_list('{name}')"):
        if not index["unique"] or index["origin"] == "pk":
            continue
        columns = tuple(str(r["name"]) for r in await db.fetch(f"PRAGMA index_info('{index['name']}')"))
        table.unique.add((columns, bool(index["partial"])))
    grouped: dict[int, list[tuple[str, str, str]]] = {}
    for row in await db.fetch(f"PRAGMA foreign_key_list('{name}')"):
        grouped.setdefault(int(row["id"]), []).append((str(row["table"]), str(row["from"]), str(row["to"])))
    for parts in grouped.values():
        table.foreign_keys.add(ForeignKey(tuple(p[1] for p in parts), parts[0][0], tuple(p[2] for p in parts)))
    return table


async def _describe_postgres(db: Database, name: str) -> Table:
    table = Table(name)
    oid = f"(current_schema() || '.' || '{name}')::regclass"
    table.columns = [
        str(r[0])
        for r in await db.fetch(
            f"SELECT attname FROM pg_attribute WHERE attrelid = {oid} AND attnum > 0 AND NOT attisdropped"
            " ORDER BY attnum"
        )
    ]
    indexes = await db.fetch(
        f"""SELECT i.indisprimary, i.indisunique, i.indpred IS NOT NULL,
                   array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(num, pos)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num ORDER BY k.pos)
            FROM pg_index i WHERE i.indrelid = {oid}"""
    )
    for primary, unique, partial, columns in indexes:
        if primary:
            table.primary_key = tuple(columns)
        elif unique:
            table.unique.add((tuple(columns), bool(partial)))
    keys = await db.fetch(
        f"""SELECT c.confrelid::regclass::text,
                   array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, pos)
                         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.pos),
                   array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, pos)
                         JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.pos)
            FROM pg_constraint c WHERE c.conrelid = {oid} AND c.contype = 'f'"""
    )
    for target, columns, references in keys:
        table.foreign_keys.add(ForeignKey(tuple(columns), str(target).rsplit(".", 1)[-1], tuple(references)))
    return table


async def in_foreign_key_order(db: Database) -> list[Table]:
    """Every table, each after the tables it references (so rows can go in table by table)."""
    tables = {name: await describe(db, name) for name in await table_names(db)}
    ordered: list[Table] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...] = ()) -> None:
        if name in placed or name in path:
            return
        for key in tables[name].foreign_keys:
            if key.table != name and key.table in tables:
                place(key.table, (*path, name))
        placed.add(name)
        ordered.append(tables[name])

    for name in sorted(tables):
        place(name)
    return ordered


async def row_count(db: Database, table: str) -> int:
    return int(await fetch_value(db, f'SELECT count(*) FROM "{table}"'))
