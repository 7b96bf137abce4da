"""No fan command's SQL scans a history-sized table: every read is index-backed or bounded.

Every statement the bot runs while answering the fan commands (each command of the tree that anyone
may use, its autocompletes and the buttons of its answers) is captured with SQLite's trace callback
and explained with EXPLAIN QUERY PLAN. A `SCAN` of races, results or stage_results — a walk over the
whole table or one of its indexes — costs time in proportion to the history, so it fails the test.
The plans do not depend on how much data is stored (no ANALYZE statistics are kept), so the bundled
data shows the plans a full history gets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.conftest import World

# Tables that grow with the history (10x history: 10x rows), and the write-time summaries that grow with
# its seasons (db/importers/summaries.py). Small curated tables (tracks, drivers, sources, notable_finishes) and the
# per-driver and per-track totals (a row per driver or track and series) may be scanned: they don't grow
# with imports of results.
HISTORY_TABLES = (
    "races", "results", "stage_results", "cautions", "race_leaders",
    "driver_season_stats", "driver_season_sources", "season_tracks", "season_summary",
)  # fmt: skip
# Statements allowed to read a history-sized table whole, each for a named reason.
BOUNDED_SCANS: dict[str, str] = {
    # One row per season, read once per data version and kept (db/repos/coverage.py's memo): /about lists every
    # season that holds races, so the rows read are the rows shown.
    "SELECT series, season, races, with_results, results, result_sources, schedule_sources FROM season_summary":
        "/about shows every season",
    # One row per season, read once per data version and kept in memory (db/repos/trivia_pools.py): how many races
    # hold each trivia figure, season by season, so the n-th one is found without OFFSET.
    "SELECT series, season, winner_facts, margin_facts, pole_facts, result_facts FROM season_summary":
        "trivia's per-season counts",
}  # fmt: skip
STATEMENT = re.compile(r"^\s*(SELECT|WITH|UPDATE|DELETE)\b", re.IGNORECASE)
SCAN = re.compile(r"^SCAN (\w+)")
# OFFSET n reads and throws away n rows: a random OFFSET into a history table grows with the history.
OFFSET = re.compile(r"\bOFFSET\s+[1-9]", re.IGNORECASE)

# Commands whose every option is optional run with their defaults; these add typical values.
INVOCATIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("result", {"track": "kansas"}),
    ("result", {"track": "kansas", "season": 2024}),
    ("result", {"track": "kansas", "season": 2024, "race": "AdventHealth"}),
    ("result", {"track": "daytona"}),
    ("result", {"track": "talladega", "season": 1999}),
    ("result", {"track": "kansas", "series": "xfinity"}),
    ("driver", {"name": "Kyle Larson"}),
    ("driver", {"name": "Chris Buescher"}),
    ("driver", {"name": "Larsen"}),
    ("quote", {"driver": "Kyle Larson"}),
    ("quote", {"search": "picture"}),
    ("quote", {"race": "AdventHealth 400"}),
    ("closest", {"count": 10}),
    ("closest", {"track": "talladega"}),
    ("closest", {"driver": "Kyle Larson"}),
    ("schedule", {"season": 2024}),
    ("schedule", {"season": 2026}),
    ("trivia play", {"questions": 5}),
)
TYPED = ("", "k", "kan", "larson", "the monster mile", "zzzz")


@dataclass
class Captured:
    statements: list[str] = field(default_factory=list)
    by_command: dict[str, set[str]] = field(default_factory=dict)

    def take(self, label: str) -> None:
        for sql in self.statements:
            if STATEMENT.match(sql):
                self.by_command.setdefault(sql, set()).add(label)
        self.statements.clear()


def fan_commands(world: World) -> list[app_commands.Command[Any, ..., Any]]:
    """Every leaf command a member without special permissions may use."""
    leaves: list[app_commands.Command[Any, ..., Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, app_commands.Group):
            if node.default_permissions is None or node.default_permissions.value == 0:
                for child in node.commands:
                    walk(child)
        elif isinstance(node, app_commands.Command):
            root = node.root_parent or node
            perms = root.default_permissions
            if perms is None or perms.value == 0:
                leaves.append(node)

    for command in world.bot.tree.get_commands():
        walk(command)
    return leaves


def scans(plan: Iterable[tuple[Any, ...]], sql: str) -> list[str]:
    """The plan steps that walk a history table, with aliases resolved from the statement."""
    aliases = {
        alias.lower(): table
        for table, alias in re.findall(rf"\b({'|'.join(HISTORY_TABLES)})\s+(?:AS\s+)?(\w+)", sql, flags=re.IGNORECASE)
    }
    found = []
    for row in plan:
        detail = str(row[3])
        match = SCAN.match(detail)
        if match is None:
            continue
        name = match.group(1).lower()
        table = name if name in HISTORY_TABLES else aliases.get(name)
        if table in HISTORY_TABLES:
            found.append(detail)
    return found


def buttons(result: Any) -> list[str]:
    response = getattr(result, "response", None)
    return [
        component["custom_id"]
        for row in getattr(response, "components", None) or []
        for component in row.get("components", [])
        if component.get("type") == discord.ComponentType.button.value
        and component.get("custom_id")
        and not component.get("disabled")
    ]


async def run_with_buttons(world: World, name: str, options: dict[str, Any], capture: Captured) -> None:
    """The command, then each button of its answer, each on a fresh answer (a click may edit the message)."""
    label = f"/{name} {options}"
    result = await world.fan.slash(world.channel, name, **options)
    capture.take(label)
    for custom_id in buttons(result):
        fresh = await world.fan.slash(world.channel, name, **options)
        capture.statements.clear()
        if custom_id in buttons(fresh):
            await world.fan.click(fresh.response, custom_id=custom_id)
            capture.take(f"{label} → button {custom_id}")


@pytest.fixture
async def captured(world: World) -> Captured:
    capture = Captured()
    db = world.bot.store.db
    await db.conn.set_trace_callback(capture.statements.append)
    commands = fan_commands(world)
    invocations = list(INVOCATIONS)
    curated = {name for name, _ in INVOCATIONS}
    for command in commands:
        if command.qualified_name not in curated and not any(p.required for p in command.parameters):
            invocations.append((command.qualified_name, {}))
    for name, options in invocations:
        if name == "trivia play":
            await world.fan.slash(world.channel, name, **options)
            capture.take(f"/{name} {options}")
            await world.fan.slash(world.channel, "trivia stop")
            capture.take("/trivia stop")
        else:
            await run_with_buttons(world, name, options, capture)
    for command in commands:
        for parameter in command.parameters:
            if not parameter.autocomplete:
                continue
            for typed in TYPED:
                names = {p.name for p in command.parameters}
                filled = {"track": "kansas"} if parameter.name == "race" and "track" in names else {}
                await world.fan.autocomplete(world.channel, command.qualified_name, parameter.name, typed, **filled)
                capture.take(f"autocomplete /{command.qualified_name} {parameter.name}={typed!r}")
    await db.conn.set_trace_callback(None)
    return capture


async def test_the_fan_commands_were_exercised(captured: Captured) -> None:
    labels = {label.split(" ")[0] for labels in captured.by_command.values() for label in labels}
    for name in ("/result", "/driver", "/quote", "/closest", "/schedule", "/next", "/about", "/trivia"):
        assert name in labels, f"{name} ran no SQL: the capture is broken"


async def test_no_fan_command_scans_a_history_table(world: World, captured: Captured) -> None:
    db = world.bot.store.db
    failures = []
    allowed_seen: set[str] = set()
    for sql, labels in captured.by_command.items():
        plan = [tuple(row) for row in await db.fetch(f"EXPLAIN QUERY PLAN {sql}")]
        compact = " ".join(sql.split())
        allowed = [a for a in BOUNDED_SCANS if compact.startswith(a)]
        if allowed:
            allowed_seen.update(allowed)
            continue
        found = scans(plan, sql)
        if OFFSET.search(sql) and re.search(rf"\b({'|'.join(HISTORY_TABLES)})\b", sql, flags=re.IGNORECASE):
            found.append("OFFSET over a history table (reads every skipped row)")
        if found:
            failures.append(f"{sorted(labels)[0]}: {'; '.join(found)}\n    {compact[:400]}")
    assert not failures, "full scans of history tables:\n" + "\n".join(failures)
    assert allowed_seen == set(BOUNDED_SCANS), f"exceptions no statement needs: {set(BOUNDED_SCANS) - allowed_seen}"
