"""Pictures the bot attaches (charts), saved to files: a terminal cannot show them, an image viewer can."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import discord

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


class Readable(Protocol):
    id: int
    filename: str
    content_type: str | None

    async def read(self, *, use_cached: bool = False) -> bytes: ...


def default_directory() -> Path:
    """Under the system's temporary folder, kept after the console quits so the pictures can still be opened."""
    return Path(tempfile.gettempdir()) / "photofinish-console"


def is_image(attachment: Readable) -> bool:
    kind = attachment.content_type or ""
    return kind.startswith("image/") or attachment.filename.lower().endswith(IMAGE_SUFFIXES)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class SavedPictures:
    """Each picture is saved once per message, as `<message id>-<file name>`; later renders reuse the file."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()
        self._saved: dict[tuple[int, int], Path] = {}

    async def save(self, message_id: int, attachments: Sequence[Readable]) -> dict[str, Path]:
        """The message's pictures by file name, saved where they were not already; a failed save is skipped."""
        saved: dict[str, Path] = {}
        for attachment in attachments:
            if not is_image(attachment):
                continue
            key = (message_id, attachment.id)
            path = self._saved.get(key)
            if path is None:
                path = self.directory / f"{message_id}-{Path(attachment.filename).name}"
                try:
                    await asyncio.to_thread(_write, path, await attachment.read())
                except (discord.HTTPException, OSError) as error:
                    log.warning("Could not save %s: %s", attachment.filename, error)
                    continue
                self._saved[key] = path
            saved[attachment.filename] = path
        return saved
