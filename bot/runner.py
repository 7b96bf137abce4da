"""`photofinish run`: connect to Discord with discord.py's own defaults."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import aiohttp
import discord

from bot.app import open_bot
from bot.settings import Settings

log = logging.getLogger(__name__)


async def run_bot(settings: Settings) -> int:
    """Run until stopped; return the process exit code. Failures are one clear line, not a traceback."""
    token = settings.token
    if not token:
        log.error("DISCORD_TOKEN is not set: put it in .env or the environment (see README).")
        return 2
    # SIGTERM (docker stop, systemctl stop) is a clean stop: the bot closes and gives its leases back at
    # once (bot/cluster.py), so another process takes over its shards and singletons without waiting.
    running = asyncio.current_task()
    if running is not None:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals off the main thread
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, running.cancel)
    try:
        async with open_bot(settings) as bot, bot:
            await bot.start(token)
    except discord.LoginFailure:
        log.error("Discord rejected the token (DISCORD_TOKEN): check it in the Developer Portal.")
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("Discord refused a privileged intent this bot does not need; please report this.")
        return 1
    except (
        aiohttp.ClientConnectionError,
        discord.GatewayNotFound,
        discord.ConnectionClosed,
        OSError,
    ) as error:
        log.error("Cannot reach Discord: %s", error or type(error).__name__)
        return 1
    except discord.HTTPException as error:
        log.error("Discord answered %s %s: %s", error.status, error.code, error.text or "no details")
        return 1
    except asyncio.CancelledError:
        return 0
    return 0
