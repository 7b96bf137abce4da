"""The preview's clock runs with the wall clock, tab open or not; slash commands typed as plain text get answers.

A preview of its own: a trivia game and its cooldown would get in the way of the other browser tests.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.console.browser import PreviewProcess, open_preview, preview_process, run_slash, send_text, wait_for_message

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

TIME_LIMIT_S = 10
COOLDOWN_S = 60
WAIT = re.compile(r"try again in (\d+) s")


@pytest.fixture(scope="module")
def own_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewProcess]:
    with preview_process(Path(tmp_path_factory.mktemp("clock"))) as running:
        yield running


@pytest.fixture
def tab(browser: Browser, own_preview: PreviewProcess) -> Iterator[Page]:
    page = open_preview(browser, own_preview.url)
    yield page
    page.close()


def cooldown_left(page: Page) -> int:
    answer = run_slash(page, "trivia play", questions=1)
    match = WAIT.search(answer.inner_text())
    assert match, answer.inner_text()
    return int(match.group(1))


def test_a_question_closes_on_time_after_the_tab_was_closed_and_reopened_and_the_cooldown_counts_down(
    browser: Browser, own_preview: PreviewProcess
) -> None:
    page = open_preview(browser, own_preview.url)
    run_slash(page, "triviaset", time_limit=TIME_LIMIT_S, cooldown=COOLDOWN_S)
    page.close()
    time.sleep(2)  # no tab open: the clock must run on regardless

    page = open_preview(browser, own_preview.url)
    question = run_slash(page, "trivia play", questions=1)
    posted = time.monotonic()
    assert "Question 1 of 1" in question.inner_text()
    wait_for_message(page, "Final standings", timeout=TIME_LIMIT_S + 10)
    closed_after = time.monotonic() - posted

    assert abs(closed_after - TIME_LIMIT_S) <= 1.0, f"closed after {closed_after:.2f} s"

    first, first_at = cooldown_left(page), time.monotonic()
    page.close()
    time.sleep(3)
    page = open_preview(browser, own_preview.url)
    second, second_at = cooldown_left(page), time.monotonic()
    page.close()

    assert 0 < second < first <= COOLDOWN_S
    # Whole seconds, rounded up, each read up to a poll late: ±1.5 s.
    assert abs((first - second) - (second_at - first_at)) <= 1.5, (first, second, second_at - first_at)


def test_a_slash_command_typed_as_text_gets_its_answer(tab: Page) -> None:
    send_text(tab, "/result kansas")

    answer = wait_for_message(tab, "used /result")

    assert "Kyle Larson" in answer.inner_text() and "0.001" in answer.inner_text()


def test_typed_text_that_is_not_a_command_gets_a_hint(tab: Page) -> None:
    send_text(tab, "/resul kansas")

    hint = wait_for_message(tab, "Unknown command /resul")

    assert "type / and pick one from the list" in hint.inner_text()


def test_a_question_mark_typed_as_text_is_answered(tab: Page) -> None:
    send_text(tab, "/closest count:?")

    answer = wait_for_message(tab, "a whole number from 1 to 25")

    assert "How many to show" in answer.inner_text()


def test_a_reminder_is_posted_on_time_in_the_page(browser: Browser, tmp_path: Path) -> None:
    """Darlington 2024 starts at 19:00 UTC: with the clock 10 s before 18:00, a 1h reminder is 10 s away."""
    with preview_process(tmp_path, now="2024-05-12T17:59:50Z") as running:
        started = time.monotonic()  # the clock starts running with the wall clock as the address is printed
        page = open_preview(browser, running.url)
        send_text(page, "/alerts setup channel:#race-chat leads:1h")
        wait_for_message(page, "Alerts set up")

        reminder = wait_for_message(page, "Goodyear 400 at Darlington Raceway starts in", timeout=20)
        posted_after = time.monotonic() - started
        shown = reminder.inner_text()
        page.close()

    assert "Reminder set 1h before the start." in shown
    # Seen up to a tick and a page poll (0.7 s) after it was posted.
    assert 9.0 <= posted_after <= 11.5, f"posted after {posted_after:.2f} s"
