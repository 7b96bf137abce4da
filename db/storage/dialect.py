"""The few SQL fragments that differ between SQLite and PostgreSQL; everything else is written once.

Both dialects agree on `ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`, window functions, row values and
CTEs, so the repositories write those directly. What differs is JSON in SQL, string aggregation and
full-text search: the backend says which dialect it speaks (`Database.dialect`) and the few queries that
need one of these ask it for the fragment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DialectName = Literal["sqlite", "postgres"]


@dataclass(frozen=True)
class Dialect:
    name: DialectName

    def same(self, left: str, right: str) -> str:
        """`left` equals `right`, NULL equal to NULL (SQLite's `IS`; IS NOT DISTINCT FROM needs SQLite 3.39)."""
        return f"{left} IS {right}" if self.name == "sqlite" else f"{left} IS NOT DISTINCT FROM {right}"

    def differs(self, left: str, right: str) -> str:
        """The negation of `same`."""
        return f"{left} IS NOT {right}" if self.name == "sqlite" else f"{left} IS DISTINCT FROM {right}"

    def indexed_by(self, index: str) -> str:
        """SQLite's planner hint for a table that must be read through `index`; PostgreSQL plans without one."""
        return f" INDEXED BY {index}" if self.name == "sqlite" else ""

    def greater(self, left: str, right: str) -> str:
        """The larger of two values (SQLite's two-argument max(); GREATEST elsewhere)."""
        return f"max({left}, {right})" if self.name == "sqlite" else f"GREATEST({left}, {right})"

    def json_length(self, doc: str) -> str:
        """How many items the JSON list `doc` holds."""
        return f"json_array_length({doc})" if self.name == "sqlite" else f"jsonb_array_length(({doc})::jsonb)"

    def json_at(self, doc: str, key: str, index: int | None = None) -> str:
        """`doc` (JSON text) at `.key` or `.key[index]`, as SQL text (arrays as JSON text), NULL when absent."""
        if self.name == "sqlite":
            path = f"$.{key}" + (f"[{index}]" if index is not None else "")
            return f"json_extract({doc}, '{path}')"
        if index is not None:
            return f"(({doc})::jsonb -> '{key}' ->> {index})"
        return f"(({doc})::jsonb -> '{key}')::text"

    def json_length_at(self, doc: str, key: str) -> str:
        """How many items the JSON list at `.key` of `doc` holds (NULL when there is none)."""
        if self.name == "sqlite":
            return f"json_array_length({doc}, '$.{key}')"
        return f"jsonb_array_length(({doc})::jsonb -> '{key}')"

    def json_list_of(self, value: str) -> str:
        """A one-item JSON list holding `value`, as JSON text."""
        if self.name == "sqlite":
            return f"json_array({value})"
        return f"jsonb_build_array({value})::text"

    def json_items(self, doc: str, alias: str) -> str:
        """A FROM item: one row per item of the JSON list `doc`, the item as text in `{alias}.value`."""
        if self.name == "sqlite":
            return f"json_each({doc}) {alias}"
        return f"jsonb_array_elements_text(({doc})::jsonb) AS {alias}(value)"

    def json_rows(self, columns: str, order: str) -> str:
        """An aggregate: the group's rows as one JSON list of [column, …] lists, in `order`."""
        if self.name == "sqlite":
            return f"json_group_array(json_array({columns}))"  # over a subquery already in `order`
        return f"coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]')::text"

    def distinct_list(self, value: str) -> str:
        """An aggregate: the group's distinct non-NULL values joined by commas (NULL for none)."""
        if self.name == "sqlite":
            return f"group_concat(DISTINCT {value})"
        return f"string_agg(DISTINCT {value}, ',')"

    def quote_match(self) -> str:
        """A condition on `quotes q`: the quote holds every word of the parameter (see `search_terms`)."""
        if self.name == "sqlite":
            return "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"
        # The expression of the quotes_search index (postgres/0001_initial.sql), so the index answers it.
        indexed = "to_tsvector('simple', pf_fold(q.text || ' ' || coalesce(q.context, '')))"
        return f"{indexed} @@ to_tsquery('simple', pf_fold(?))"

    def search_terms(self, words: list[str]) -> str:
        """The parameter for `quote_match`: every word required, none of them read as query syntax."""
        if self.name == "sqlite":
            return " ".join(f'"{word}"' for word in words)
        return " & ".join(f"'{word}'" for word in words)


SQLITE = Dialect("sqlite")
POSTGRES = Dialect("postgres")
