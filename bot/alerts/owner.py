"""Who holds a delivery claim, and whether that holder still runs.

A claim is left by a crash only if its holder is gone. Two bot processes on one database must
not take over each other's in-flight claims, and a restarted process must take over its dead
predecessor's at once. The owner names host, process (pid and start time, so a reused pid is
not mistaken for the old process) and the alert service instance within it (tests restart a bot
inside one process). Another host's process cannot be asked; its liveness lease can (bot/cluster.py).
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from typing import Protocol

_LIVE_SERVICES: set[str] = set()


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux); empty elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Field 22, counted after the parenthesised command name (which may contain spaces).
    return stat.rsplit(")", 1)[1].split()[19]


class Peers(Protocol):
    """The other processes on the database, as the alert service needs them (bot/cluster.py)."""

    async def refresh(self) -> bool:
        """Adopt the shards of processes that died, give back those run again: whether ours changed."""
        ...

    async def liveness(self) -> dict[str, bool] | None:
        """Processes (`process_of`) with a liveness lease: whether it is current. A process missing here keeps
        no leases (nothing can be told of it); None when this process keeps none either."""
        ...


def this_process() -> str:
    """host|pid|start: this process, as claim owners and liveness leases name it."""
    return f"{socket.gethostname()}|{os.getpid()}|{_start_time(os.getpid())}"


def process_of(owner: str) -> str:
    """The process part of a claim owner (without the alert service instance)."""
    return owner.rsplit("|", 1)[0]


def new_owner() -> str:
    owner = f"{this_process()}|{uuid.uuid4().hex[:12]}"
    _LIVE_SERVICES.add(owner)
    return owner


def release_owner(owner: str) -> None:
    _LIVE_SERVICES.discard(owner)


def owner_alive(owner: str | None) -> bool | None:
    """True/False when it can be told from here; None for another host (fall back to the claim's age)."""
    if not owner:
        return False
    try:
        host, pid_text, started, _service = owner.split("|")
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return None
    if pid == os.getpid():
        return owner in _LIVE_SERVICES
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return _start_time(pid) == started
