"""The `photofinish` command line: run, console, data and db commands.

Error policy: every failure ends in one line on stderr naming the file, field or cause, and a non-zero
exit; data writes are one transaction each, so a failed command leaves the database as it was.
`LOG_LEVEL=DEBUG` adds the traceback behind the line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from rich.console import Console
from rich.logging import RichHandler

from bot.cli_errors import CliError, one_line, settings_error
from bot.clock import parse_instant
from bot.settings import Settings
from db.importers.dataset import dataset_json_schema
from db.importers.loader import load_bundled, load_dataset_file
from db.storage.backend import open_db
from db.storage.maintenance import backup_into, schema_of, table_counts

log = logging.getLogger("photofinish")


def configure_logging(level: str) -> None:
    """Logging is set up here once, for every entry point: rich in a terminal, plain lines otherwise."""
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=Console(stderr=True), show_path=False, rich_tracebacks=False)
        log_format = "%(message)s"
    else:
        # rich wraps at 80 columns when it has no terminal: a one-line error would become two.
        handler = logging.StreamHandler(sys.stderr)
        log_format = "[%(asctime)s] %(levelname)-8s %(message)s"
    logging.basicConfig(level=level, format=log_format, datefmt="%X", handlers=[handler])
    # discord.py's voice and intent notices are noise for a bot without voice or privileged intents.
    logging.getLogger("discord").setLevel(logging.ERROR if level != "DEBUG" else logging.DEBUG)
    if level in ("DEBUG", "INFO"):
        logging.getLogger("discord.client").setLevel(logging.ERROR)
        logging.getLogger("discord.gateway").setLevel(level)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (the usage block is what --help is for)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def instant(text: str) -> dt.datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time such as 2024-05-06T12:00Z") from None


def port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535; 0 picks a free one)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="photofinish", description="Photo Finish: NASCAR race facts for Discord.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="connect to Discord with DISCORD_TOKEN")
    console = commands.add_parser("console", help="the bot offline, in this terminal (no token)")
    console.add_argument("--now", type=instant, help="set the clock, e.g. 2024-05-06T12:00Z")
    console.add_argument(
        "--as",
        dest="persona",
        choices=("admin", "fan"),
        default="admin",
        help="who types: admin has Manage Server",
    )
    console.add_argument("--web", action="store_true", help="serve the browser preview on 127.0.0.1")
    console.add_argument("--port", type=port, default=None, help="port for --web (default: a free one)")

    data = commands.add_parser("data", help="load and inspect race data").add_subparsers(dest="action", required=True)
    load = data.add_parser("load", help="load one of our dataset files (YAML or JSON)")
    load.add_argument("file", type=Path)
    data.add_parser("schema", help="print the JSON Schema of our dataset format")
    history = data.add_parser("import-history", help="import the nascaR.data results table (CSV file or URL)")
    history.add_argument("source", nargs="?", metavar="FILE_OR_URL", help="default: the table's public download")
    history.add_argument(
        "--series", choices=("cup", "xfinity", "truck"), default=None, help="default: from the file name, else cup"
    )
    sync = data.add_parser("sync", help="sync schedule, results and points from NASCAR's feed (FEED_BASE_URL)")
    sync.add_argument("--season", type=int, help="default: this year")
    sync.add_argument("--series", choices=("cup", "xfinity", "truck"), default=None, help="default: all")

    db = commands.add_parser("db", help="database maintenance").add_subparsers(dest="action", required=True)
    db.add_parser("migrate", help="apply pending migrations and load bundled data")
    backup = db.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("target", type=Path)
    db.add_parser("stats", help="row counts per table")
    copy = db.add_parser("copy", help="copy every row into another, empty database (SQLite or PostgreSQL)")
    copy.add_argument("--from", dest="source", required=True, help="sqlite:///file.db or postgresql://…")
    copy.add_argument("--to", dest="target", required=True, help="sqlite:///file.db or postgresql://…")
    return parser


async def _data_load(settings: Settings, path: Path) -> int:
    async with open_db(settings.database) as db:
        await load_bundled(db)
        loaded = await load_dataset_file(db, path)
    print(f"{path}: {'loaded' if loaded else 'already loaded, nothing changed'}")
    return 0


def _backup(settings: Settings, target: Path) -> int:
    """VACUUM INTO a new file: a consistent copy even while the bot writes; never over an existing file."""
    if settings.database != settings.database_path:
        raise CliError(f"{settings.database_shown}: db backup copies a SQLite file; back PostgreSQL up with pg_dump")
    source = Path(settings.database_path)
    if not source.is_file():
        raise CliError(f"{source}: no database here to back up (DATABASE_PATH)")
    if target.exists():
        raise CliError(f"{target}: already exists; a backup never overwrites, so name a new file")
    if not target.parent.is_dir():
        raise CliError(f"{target.parent}: no such folder for the backup")
    try:
        asyncio.run(backup_into(source, target))
    except Exception as error:
        target.unlink(missing_ok=True)  # nothing half-written
        raise CliError(f"{target}: cannot write the backup ({one_line(error, database=str(source))})") from error
    print(f"Backed up {source} to {target}")
    return 0


async def _db(settings: Settings, action: str) -> int:
    async with open_db(settings.database) as db:  # opening migrates
        if action == "migrate":
            loaded = await load_bundled(db)
            print(f"Schema version {await schema_of(db)}; {loaded} bundled file(s) loaded")
            return 0
        for table, count in await table_counts(db):
            print(f"{table:24} {count:>10,}")
    return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        from bot.runner import run_bot

        return asyncio.run(run_bot(settings))
    if args.command == "console":
        from bot.console.main import run_console

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
    if args.command == "db" and args.action == "copy":
        from bot import data_commands

        return asyncio.run(data_commands.copy_command(args.source, args.target))
    if args.command == "db" and args.action == "backup":
        return _backup(settings, args.target)
    if args.command == "db":
        return asyncio.run(_db(settings, args.action))
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "console" and args.port is not None and not args.web:
        parser.error("--port is for --web (the browser preview)")
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"error: {settings_error(error)}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level if args.command == "run" else "WARNING")
    try:
        return _dispatch(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `photofinish data schema | head`: the reader left. Point stdout at /dev/null so the flush at exit
        # does not raise again (Python's documented recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        log.debug("Command failed", exc_info=True)
        print(f"error: {one_line(error, database=settings.database_shown)}", file=sys.stderr)
        return 1
