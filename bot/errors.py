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


class ComponentFailed(app_commands.AppCommandError):
    """A button's callback raised something that is not a UserFacingError: a bug, or the database.

    Wrapped so a button's failure goes through the tree's on_error like a command's (CommandInvokeError
    plays this part for commands).
    """

    def __init__(self, custom_id: str, original: Exception) -> None:
        super().__init__(f"component {custom_id!r} raised {type(original).__name__}: {original}")
        self.custom_id = custom_id
        self.original = original
