"""Decode a PNG for chart tests (Pillow comes with matplotlib)."""

from __future__ import annotations

import io

from PIL import Image

from bot.charts.render import HEIGHT_PX, WIDTH_PX


def decoded_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        image.load()  # the whole image decodes, not just the header
        return image.size


def assert_chart_png(png: bytes) -> None:
    assert decoded_size(png) == (WIDTH_PX, HEIGHT_PX)


def distinct_colours(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
