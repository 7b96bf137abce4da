"""Errors a cog raises for the tree's error policy to turn into a short ephemeral sentence."""

from __future__ import annotations

from discord import app_commands


class UserFacingError(app_commands.AppCommandError):
    """Something the user can fix or should know; the message is shown as-is, ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserFacingError):
    pass


class BadInput(UserFacingError):
    pass


class TryAgain(UserFacingError):
    """A transient condition (database busy): the user should retry shortly."""
