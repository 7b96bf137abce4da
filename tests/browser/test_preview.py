"""The console's browser preview in real headless Chromium: the slash picker, /result, the full field pager, a chart,
spoiler-safe results."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from bot.charts.render import HEIGHT_PX, WIDTH_PX
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


def test_closest_shows_its_margins_chart_as_an_image_in_the_embed(page: Page) -> None:
    answer = run_slash(page, "closest", count=5)

    image = answer.locator(".embed-card img.embed-image")
    image.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [WIDTH_PX, HEIGHT_PX]
    assert "0.001 s" in answer.inner_text()  # the list is still there, above the chart


def test_a_spoiler_safe_result_hides_how_it_ended_until_tapped(page: Page) -> None:
    answer = run_slash(page, "result", track="kansas", spoilers="true")

    # What shows before any tap: the message without its spoilers.
    uncovered = answer.evaluate(
        """(message) => {
            const copy = message.cloneNode(true);
            copy.querySelectorAll('.markdown-spoiler').forEach((spoiler) => spoiler.remove());
            return copy.innerText;
        }"""
    )
    assert "2024 AdventHealth 400" in uncovered and "Kansas Speedway" in uncovered
    assert "Kyle Larson" not in uncovered and "Chris Buescher" not in uncovered and "0.001" not in uncovered
    first = answer.locator(".markdown-spoiler").first
    assert first.locator(".markdown-spoiler-content").get_attribute("aria-hidden") == "true"

    first.click()

    from playwright.sync_api import expect

    expect(first).to_have_class(re.compile(r"\bis-revealed\b"))
    assert "Kyle Larson" in first.inner_text()
