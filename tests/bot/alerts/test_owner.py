"""Claim holders: a live one is left alone, a dead one is taken over at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.alerts.owner import _start_time, new_owner, owner_alive, release_owner


def test_a_running_service_in_this_process_is_alive_until_released() -> None:
    owner = new_owner()
    assert owner_alive(owner) is True
    release_owner(owner)
    assert owner_alive(owner) is False


def test_another_live_process_on_this_host_is_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        owner = f"{socket.gethostname()}|{child.pid}|{_start_time(child.pid)}|abc"
        assert owner_alive(owner) is True
    finally:
        child.kill()
        child.wait()
    assert owner_alive(owner) is False


def test_a_reused_pid_is_not_mistaken_for_the_old_process() -> None:
    owner = f"{socket.gethostname()}|{os.getppid()}|0|abc"  # a live pid, but not started at tick 0
    assert owner_alive(owner) is False


def test_another_host_cannot_be_told_and_a_missing_owner_is_gone() -> None:
    assert owner_alive("elsewhere.example|1|1|abc") is None
    assert owner_alive(None) is False
    assert owner_alive("not an owner") is False
