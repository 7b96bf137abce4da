"""The fault suite's simcord env: like tests/conftest.py's, but a locked database is an answered error too.

The tree answers "database is locked" with a polite "try again" on purpose (bot/tree.py); simcord still
records the original error, so the shared fixture would count it as a bug.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest
import simcord
from discord import app_commands

from bot.bot import PhotoFinish
from bot.errors import UserFacingError


def answered_on_purpose(error: BaseException) -> bool:
    if isinstance(error, UserFacingError):
        return True
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else None
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


@pytest.fixture
async def simcord_env(simcord_bot: PhotoFinish, request: pytest.FixtureRequest) -> AsyncIterator[simcord.Env]:
    marker = request.node.get_closest_marker("simcord")
    env = simcord.Env(simcord_bot, **(marker.kwargs if marker else {}))
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        unexpected = [e for e in env.errors if not answered_on_purpose(e)]
        if unexpected:
            raise ExceptionGroup("the bot raised unexpected errors during the test", unexpected)
