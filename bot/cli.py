"""The `photofinish` command line: run, console, data and db commands."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler

from bot.clock import parse_instant
from bot.settings import Settings
from db.connection import DatabaseError, connect, migrate, open_database
from db.dataset import DatasetError, dataset_json_schema
from db.feed.parse import FeedFormatError
from db.history_csv import HistoryError
from db.loader import load_bundled, load_dataset_file

log = logging.getLogger("photofinish")


def configure_logging(level: str) -> None:
    """Logging is set up here once, for every entry point."""
    logging.basicConfig(
        level=level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=Console(stderr=True), show_path=False, rich_tracebacks=False)],
    )
    # discord.py's voice and intent notices are noise for a bot without voice or privileged intents.
    logging.getLogger("discord").setLevel(logging.ERROR if level != "DEBUG" else logging.DEBUG)
    if level in ("DEBUG", "INFO"):
        logging.getLogger("discord.client").setLevel(logging.ERROR)
        logging.getLogger("discord.gateway").setLevel(level)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photofinish", description="Photo Finish: NASCAR race facts for Discord.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="connect to Discord with DISCORD_TOKEN")
    console = commands.add_parser("console", help="the bot offline, in this terminal (no token)")
    console.add_argument("--now", type=parse_instant, help="set the clock, e.g. 2024-05-06T12:00Z")
    console.add_argument(
        "--as",
        dest="persona",
        choices=("admin", "fan"),
        default="admin",
        help="who types: admin has Manage Server",
    )
    console.add_argument("--web", action="store_true", help="serve the browser preview on 127.0.0.1")
    console.add_argument("--port", type=int, default=None, help="port for --web (default: a free one)")

    data = commands.add_parser("data", help="load and inspect race data").add_subparsers(dest="action", required=True)
    load = data.add_parser("load", help="load one of our dataset files (YAML or JSON)")
    load.add_argument("file", type=Path)
    data.add_parser("schema", help="print the JSON Schema of our dataset format")
    history = data.add_parser("import-history", help="import the nascaR.data results table (CSV file or URL)")
    history.add_argument("source", nargs="?", metavar="FILE_OR_URL", help="default: the table's public download")
    history.add_argument("--series", choices=("cup", "xfinity", "truck"), default="cup")
    sync = data.add_parser("sync", help="sync schedule and results from NASCAR's public feed (FEED_BASE_URL)")
    sync.add_argument("--season", type=int, help="default: this year")
    sync.add_argument("--series", choices=("cup", "xfinity", "truck"), default=None, help="default: all")

    db = commands.add_parser("db", help="database maintenance").add_subparsers(dest="action", required=True)
    db.add_parser("migrate", help="apply pending migrations and load bundled data")
    backup = db.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("target", type=Path)
    db.add_parser("stats", help="row counts per table")
    return parser


async def _data_load(settings: Settings, path: Path) -> int:
    async with open_database(settings.database_path) as conn:
        await load_bundled(conn)
        loaded = await load_dataset_file(conn, path)
    print(f"{path}: {'loaded' if loaded else 'already loaded, nothing changed'}")
    return 0


async def _db(settings: Settings, action: str, target: Path | None) -> int:
    if action == "backup":
        assert target is not None
        conn = await connect(settings.database_path)
        try:
            await conn.execute("VACUUM INTO ?", (str(target),))
        finally:
            await conn.close()
        print(f"Backed up {settings.database_path} to {target}")
        return 0
    async with open_database(settings.database_path) as conn:
        if action == "migrate":
            version = await migrate(conn)
            loaded = await load_bundled(conn)
            print(f"Schema version {version}; {loaded} bundled file(s) loaded")
            return 0
        async with conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'quotes_fts%' ORDER BY name"
        ) as cursor:
            tables = [row[0] for row in await cursor.fetchall()]
        for table in tables:
            async with conn.execute(f'SELECT count(*) FROM "{table}"') as cursor:
                row = await cursor.fetchone()
            print(f"{table:24} {row[0] if row else 0:>10,}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level if args.command == "run" else "WARNING")
    try:
        if args.command == "run":
            from bot.runner import run_bot

            return asyncio.run(run_bot(settings))
        if args.command == "console":
            from bot.console.session import run_console

            return asyncio.run(run_console(settings, now=args.now, persona=args.persona, web=args.web, port=args.port))
        if args.command == "data" and args.action == "schema":
            print(json.dumps(dataset_json_schema(), indent=2))
            return 0
        if args.command == "data" and args.action == "load":
            return asyncio.run(_data_load(settings, args.file))
        if args.command == "data" and args.action in ("import-history", "sync"):
            from bot import data_commands

            if args.action == "sync":
                return asyncio.run(data_commands.sync_command(settings, args.season, args.series))
            return asyncio.run(data_commands.import_history_command(settings, args.source, args.series))
        if args.command == "db":
            return asyncio.run(_db(settings, args.action, getattr(args, "target", None)))
    except (DatasetError, DatabaseError, HistoryError, FeedFormatError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2
