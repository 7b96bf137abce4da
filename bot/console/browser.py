"""Drive `photofinish console --web` in headless Chromium, as a person would: the browser tests and the README
screenshots both go through here.

Needs the dev extra (playwright) and the system's Chromium (Debian's `chromium` package); never a browser that
playwright downloads.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserType, Locator, Page

# --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start. The rest keep Chromium
# from phoning home (update checks, sync, field trials), which only stalls on a machine without network.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
COMPOSER = "#channel-composer-input"
MESSAGE = "article.channel-message"
PREVIEW_URL = re.compile(r"http://127\.0\.0\.1:\d+/#[\w-]+")
# The console's clock for pages that must look the same every run: the Monday after Kansas 2024.
FIXED_NOW = "2024-05-06T16:00Z"


def find_chromium() -> str | None:
    """The system Chromium: `$CHROMIUM` if set, else `chromium` on PATH, else Debian's path."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@dataclass
class PreviewProcess:
    """A running `photofinish console --web` and what it printed."""

    process: subprocess.Popen[str]
    url: str
    output: list[str] = field(default_factory=list)

    def stop(self, timeout: float = 20.0) -> int:
        """Ctrl-C, as a person would; kill it only if it hangs. Returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        return self.process.returncode


@contextmanager
def preview_process(
    workdir: Path,
    *,
    now: str = FIXED_NOW,
    persona: str = "admin",
    timezone: str = "UTC",
    start_timeout: float = 60.0,
) -> Iterator[PreviewProcess]:
    """Start the console's preview on a free port with a fresh database in `workdir`; stop it on exit."""
    env = {**os.environ, "DATABASE_PATH": str(workdir / "preview.db"), "PYTHONUNBUFFERED": "1", "TZ": timezone}
    env["NO_COLOR"] = "1"
    for name in ("DISCORD_TOKEN", "FORCE_COLOR"):
        env.pop(name, None)
    command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
    command += ["console", "--web", "--now", now, "--as", persona]
    # cwd=workdir: the console must not pick up a developer's .env.
    process = subprocess.Popen(
        command,
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process, lines), daemon=True).start()
    running = PreviewProcess(process, url="")
    try:
        running.url = _await_url(running, lines, deadline=time.monotonic() + start_timeout)
        yield running
    finally:
        running.stop()
        while (line := _next_line(lines, 1.0)) is not None:
            running.output.append(line)


def _pump(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _next_line(lines: queue.Queue[str | None], timeout: float) -> str | None:
    try:
        return lines.get(timeout=max(timeout, 0.0))
    except queue.Empty:
        return None


def _await_url(running: PreviewProcess, lines: queue.Queue[str | None], *, deadline: float) -> str:
    while time.monotonic() < deadline:
        line = _next_line(lines, deadline - time.monotonic())
        if line is None:
            break
        running.output.append(line)
        if match := PREVIEW_URL.search(line):
            return match.group(0)
    printed = "\n".join(running.output[-20:])
    raise RuntimeError(f"photofinish console --web printed no preview URL:\n{printed}")


# How long one step may take. The preview answers in well under a second on an idle machine; on a
# 2-core CI box running the rest of the suite beside it, a step once took past 15 s and failed a
# green change (TimeoutError in wait_ready), so the ceiling is generous: it only bounds a real hang.
PAGE_TIMEOUT_S = 60.0


def launch_chromium(chromium: BrowserType, executable: str) -> Browser:
    """Headless system Chromium with the flags above."""
    return chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), timeout=30_000)


def open_preview(browser: Browser, url: str, *, width: int = 1100, height: int = 1400) -> Page:
    """A new tab on the preview, ready for typing."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
    page.goto(url)
    page.locator(COMPOSER).wait_for()
    wait_ready(page)
    return page


def wait_ready(page: Page) -> None:
    """Until the page has no action in flight (simcord's own readiness signal)."""
    page.wait_for_function("() => window.simcordPreview && window.simcordPreview.ready === true")


def settle(page: Page) -> None:
    """Until the page is ready and has painted twice since, so a picture shows the finished layout."""
    wait_ready(page)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def run_slash(page: Page, command: str, **options: str | int) -> Locator:
    """Type `/command` in the composer, pick it, fill the options, press Enter; the bot's answer."""
    composer = page.locator(COMPOSER)
    composer.click()
    composer.press_sequentially(f"/{command}")
    title = page.locator(".command-entry-title strong", has_text=re.compile(rf"^/{re.escape(command)}$"))
    page.locator(".command-entry", has=title).click()
    for name, value in options.items():
        _fill_option(page, name, str(value))
    wait_ready(page)
    before = _last_sequence(page)
    # The send button rather than Enter: Enter goes wherever focus ended up, which differs with the options.
    page.locator("#send-message").click()
    return _answer(page, before, fallback=None, kind="command")


def _fill_option(page: Page, name: str, value: str) -> None:
    field = page.locator(f'.command-option-input[data-option="{name}"]')
    if field.count() == 0:
        # An optional option is added from the "+N more" list first, as in Discord.
        page.locator(".command-ghost").click()
        page.locator(".command-suggestion", has_text=re.compile(rf"^{re.escape(name)}\W*$")).click()
    field.fill(value)
    # The page ignores Enter while an autocomplete request is in flight; let it answer first.
    page.wait_for_function("() => window.simcordPreview.commandPicker.autocomplete.state !== 'loading'")
    wait_ready(page)
    # Close the suggestions so Enter sends what was typed rather than picking a suggestion.
    page.keyboard.press("Escape")


def send_text(page: Page, text: str) -> None:
    """Type `text` in the message box and press Enter without picking a command: a plain message."""
    composer = page.locator(COMPOSER)
    composer.click()
    composer.press_sequentially(text)
    composer.press("Escape")  # close the command list, so Enter sends the text as typed
    wait_ready(page)
    composer.press("Enter")
    wait_ready(page)


def wait_for_message(page: Page, text: str | re.Pattern[str], *, timeout: float = PAGE_TIMEOUT_S) -> Locator:
    """The newest message that shows `text`, once the page shows one (the bot may post it on its own)."""
    message = page.locator(MESSAGE).filter(has_text=text).last
    message.wait_for(state="attached", timeout=timeout * 1000)
    return message


def click_button(page: Page, message: Locator, label: str | re.Pattern[str]) -> Locator:
    """Click a button on `message`; the message the bot answered with (a new one, or `message` edited)."""
    before = _last_sequence(page)
    message.get_by_role("button", name=label).first.click()
    return _answer(page, before, fallback=message, kind="target")


def _last_sequence(page: Page) -> int:
    """The page's newest action so far (its own viewport updates included)."""
    sequence: int = page.evaluate(
        """() => {
            const status = window.simcordPreview;
            const seen = (status.activity || []).map((receipt) => receipt.sequence || 0);
            return Math.max(0, status.lastAction?.sequence || 0, ...seen);
        }"""
    )
    return sequence


def _answer(page: Page, before: int, *, fallback: Locator | None, kind: str) -> Locator:
    """The message our action after `before` produced, once the bot has settled it and the page shows it.

    `kind` is the receipt field that marks our action: "command" for a slash command, "target" for a click.
    The page's own actions (it reports viewport changes, for one) have neither, and may come after ours,
    so the page's activity is searched rather than its last action. A command the bot answered with an
    error message (a cooldown, say) settles as "failed" in simcord's eyes, since the command raised before
    our tree answered; its answer is still the message.
    """
    receipt = page.wait_for_function(
        """([before, kind]) => {
            const status = window.simcordPreview;
            if (!status.ready) return false;
            const ours = (status.activity || []).find((r) => r.sequence > before && (r[kind] || r.rejected));
            return ours && (ours.rejected || (ours.settlement && ours.settlement !== "pending")) && ours;
        }""",
        arg=[before, kind],
    ).json_value()
    if receipt.get("rejected"):
        raise AssertionError(f"the page refused the action: {receipt}")
    ids = [o["messageId"] for o in receipt.get("outcomes", []) if isinstance(o, dict) and o.get("messageId")]
    if ids:
        answer = page.locator(f'{MESSAGE}[data-message-id="{ids[0]}"]')
        answer.wait_for(state="attached")
        return answer
    if fallback is not None:
        return fallback
    raise AssertionError(f"the bot answered with no message: {receipt}")


def page_through(page: Page, message: Locator, until: str, *, max_pages: int = 10) -> Locator:
    """Click the pager's Next on `message` until `until` is on screen; the message as it ends up."""
    from playwright.sync_api import expect

    for _ in range(max_pages):
        shown = message.inner_text()
        if until in shown:
            return message
        message.get_by_role("button", name=re.compile(r"\bnext\b", re.IGNORECASE)).click()
        wait_ready(page)
        expect(message).not_to_have_text(shown)
    raise AssertionError(f"{until!r} not found within {max_pages} pages")
