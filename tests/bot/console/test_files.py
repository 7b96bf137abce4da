"""The console saves the pictures the bot attaches, once per message, and skips what it cannot save."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import discord

from bot.console.files import SavedPictures


@dataclass
class FakeAttachment:
    id: int
    filename: str
    content_type: str | None
    data: bytes = b"\x89PNG..."
    reads: list[int] = field(default_factory=list)
    fails: bool = False

    async def read(self, *, use_cached: bool = False) -> bytes:
        self.reads.append(1)
        if self.fails:
            raise discord.NotFound(type("R", (), {"status": 404, "reason": "Not Found"})(), "gone")  # type: ignore[arg-type]
        return self.data


async def test_a_picture_is_saved_once_per_message(tmp_path: Path) -> None:
    chart = FakeAttachment(1, "chart.png", "image/png")
    pictures = SavedPictures(tmp_path)

    first = await pictures.save(42, [chart])
    again = await pictures.save(42, [chart])

    assert first == again == {"chart.png": tmp_path / "42-chart.png"}
    assert (tmp_path / "42-chart.png").read_bytes() == chart.data and len(chart.reads) == 1


async def test_only_pictures_are_saved_and_a_failed_read_is_skipped(tmp_path: Path) -> None:
    table = FakeAttachment(1, "field.csv", "text/csv")
    untyped = FakeAttachment(2, "chart.PNG", None)
    gone = FakeAttachment(3, "gone.png", "image/png", fails=True)

    saved = await SavedPictures(tmp_path / "new").save(7, [table, untyped, gone])

    assert saved == {"chart.PNG": tmp_path / "new" / "7-chart.PNG"}
    assert table.reads == []
