"""One `photofinish console --web` and one headless system Chromium for the browser tests; a fresh tab per test.

Without Chromium these tests skip on a developer's machine, and fail on CI (`CI` set), where `.ci/run` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.console.browser import PreviewProcess, find_chromium, launch_chromium, open_preview, preview_process

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI must run the browser tests, but {what}; .ci/run installs it", pytrace=False)
    pytest.skip(f"{what} (CI installs it; locally: apt-get install chromium)")


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        _missing("no system Chromium was found")
    assert path is not None
    return path


@pytest.fixture(scope="package")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewProcess]:
    with preview_process(Path(tmp_path_factory.mktemp("preview"))) as running:
        yield running


# Package scope: the sync API holds its own event loop, which must be gone before the async tests of other
# packages run.
@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (the dev extra)")
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright.chromium, chromium_path)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, preview: PreviewProcess) -> Iterator[Page]:
    tab = open_preview(browser, preview.url)
    yield tab
    tab.close()
