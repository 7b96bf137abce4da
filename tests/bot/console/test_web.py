"""`photofinish console --web` as a process: it serves the preview on loopback and Ctrl-C stops it cleanly."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from bot.console.browser import preview_process
from bot.console.web import presentation_timezone


def test_console_web_serves_the_page_until_ctrl_c(tmp_path: Path) -> None:
    with preview_process(tmp_path) as running:
        page_url = running.url.split("#", 1)[0]
        with urllib.request.urlopen(page_url, timeout=10) as response:
            status, body = response.status, response.read()
        exit_code = running.stop()

    assert running.url.startswith("http://127.0.0.1:")
    assert status == 200
    assert b"<html" in body.lower()
    assert exit_code == 0
    assert "Preview stopped." in running.output


def test_preview_shows_times_in_the_tz_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert presentation_timezone() == "America/New_York"


def test_preview_falls_back_to_utc_when_tz_is_not_a_zone_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    assert presentation_timezone() == "UTC"
