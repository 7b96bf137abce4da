"""Take the README's screenshots from the real preview: `make screenshots` (or `python scripts/screenshots.py`).

Starts `photofinish console --web` on a fresh database with the clock at FIXED_NOW, types each command into the page in
headless system Chromium, as a person would, and saves the bot's answer as a PNG under docs/. Trivia draws new
questions every game, so its picture changes from run to run; the others only change when the bot's answers do.
The database holds the bundled data plus a made-up 2030 season for the standings picture (scripts/demo_season.py:
no real feed data is kept in the repository); every other picture shows bundled, sourced data.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from demo_season import write_demo_season

from bot.console.browser import find_chromium, launch_chromium, open_preview, preview_process, run_slash, settle

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

DOCS = Path(__file__).resolve().parents[1] / "docs"
# The zone most NASCAR fans read times in; fixed so pictures do not depend on the machine.
TIMEZONE = "America/New_York"
WIDTH = 900
HEIGHT = 2400  # tall enough that no answer (with its chart) runs under the channel header or the "jump" bar


def result_kansas(page: Page) -> Locator:
    return run_slash(page, "result", track="kansas")


def closest(page: Page) -> Locator:
    return run_slash(page, "closest")


def standings(page: Page) -> Locator:
    return run_slash(page, "standings")


def events_setup(page: Page) -> Locator:
    return run_slash(page, "events setup")


def result_spoilers(page: Page) -> Locator:
    return run_slash(page, "result", track="kansas", spoilers="true")


def trivia_question(page: Page) -> Locator:
    question = run_slash(page, "trivia play", questions=3)
    question.get_by_role("button", name=re.compile(r"^A\.")).wait_for()
    return question


SHOTS: dict[str, Callable[[Page], Locator]] = {
    "result-kansas": result_kansas,
    "closest": closest,
    "trivia-question": trivia_question,
    "standings": standings,
    "events-setup": events_setup,
    "result-spoilers": result_spoilers,
}


def take(names: Sequence[str], out: Path) -> list[Path]:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("error: no system Chromium; install Debian's chromium package (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        asyncio.run(write_demo_season(workdir / "preview.db"))  # the preview opens this database
        return _take(names, out, chromium, workdir)


def _take(names: Sequence[str], out: Path, chromium: str, workdir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with preview_process(workdir, timezone=TIMEZONE) as preview, sync_playwright() as playwright:
        browser = launch_chromium(playwright.chromium, chromium)
        for name in names:
            page = open_preview(browser, preview.url, width=WIDTH, height=HEIGHT)
            answer = SHOTS[name](page)
            # Park the pointer off the message so no hover toolbar shows in the picture.
            page.mouse.move(0, 0)
            settle(page)
            answer.scroll_into_view_if_needed()
            target = out / f"{name}.png"
            answer.screenshot(path=target, animations="disabled", caret="hide")
            written.append(target)
            page.close()
        browser.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"which pictures: {', '.join(SHOTS)} (default: all)")
    parser.add_argument("--out", type=Path, default=DOCS, help="directory for the PNGs (default: docs/)")
    args = parser.parse_args(argv)
    if unknown := sorted(set(args.names) - set(SHOTS)):
        parser.error(f"no picture named {', '.join(unknown)}; choose from {', '.join(SHOTS)}")
    for path in take(args.names or list(SHOTS), args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
