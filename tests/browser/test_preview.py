"""The console's browser preview in real headless Chromium: the slash picker, /result, the full field pager."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from bot.console.browser import COMPOSER, click_button, page_through, run_slash

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_slash_picker_offers_result_from_photo_finish(page: Page) -> None:
    page.locator(COMPOSER).click()
    page.locator(COMPOSER).press_sequentially("/res")

    entry = page.locator(".command-entry").filter(has_text="/result")
    entry.wait_for()
    assert "Photo Finish" in page.locator(".command-popup").inner_text()


def test_result_kansas_shows_larson_over_buescher_by_a_thousandth(page: Page) -> None:
    answer = run_slash(page, "result", track="kansas")

    shown = answer.inner_text()
    assert answer.is_visible()
    assert "Kyle Larson" in shown
    assert "Chris Buescher" in shown
    assert "0.001" in shown


def test_full_field_button_reaches_the_38th_car(page: Page) -> None:
    answer = run_slash(page, "result", track="kansas")

    pager = click_button(page, answer, re.compile("full field", re.IGNORECASE))
    pager = page_through(page, pager, "Jimmie Johnson")

    row = next(line for line in pager.inner_text().splitlines() if "Jimmie Johnson" in line)
    assert re.match(r"\s*38\b", row), row
    assert "#84" in row
    assert pager.get_by_text("Jimmie Johnson").first.is_visible()
