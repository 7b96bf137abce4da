"""What the event sync should do in one guild: pure, from the races, the ledger and the clock.

Rules: one EXTERNAL event per upcoming race with a known start in the window (about 8 weeks ahead);
an event whose race moved is edited (never a second one); an event an admin deleted is never made
again; our event for a race that left the store or a series the server dropped is removed; nothing
is touched once Discord has started the event (it refuses edits then, and the race is on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from db.models import RaceSummary
from db.models.events import GuildEvent

WINDOW = dt.timedelta(weeks=8)
MIN_LEAD = dt.timedelta(minutes=10)  # Discord refuses a start in the past; leave room for the request
EVENT_LENGTH = dt.timedelta(hours=4)  # Discord needs an end for EXTERNAL events; races have none: an estimate
MAX_OWN_EVENTS = 25  # of Discord's 100 scheduled/active events per guild; the rest stay the server's


@dataclass(frozen=True)
class EventFields:
    name: str
    description: str
    location: str
    start: dt.datetime
    end: dt.datetime

    @property
    def fingerprint(self) -> str:
        text = "\x1f".join((self.name, self.description, self.location, self.start.isoformat(), self.end.isoformat()))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Create:
    race: RaceSummary


@dataclass(frozen=True)
class Edit:
    race: RaceSummary
    ledger: GuildEvent


@dataclass(frozen=True)
class Remove:
    ledger: GuildEvent


@dataclass(frozen=True)
class Recover:
    """A claim left 'creating' by a crash: look for the event in the guild before creating anything."""

    race: RaceSummary | None  # None: the race is no longer wanted (or gone)
    ledger: GuildEvent


Action = Create | Edit | Remove | Recover


def in_window(race: RaceSummary, now: dt.datetime) -> bool:
    return race.start_utc is not None and now + MIN_LEAD < race.start_utc <= now + WINDOW


def plan_guild(
    *,
    window_races: Iterable[RaceSummary],
    ledger_races: Mapping[int, RaceSummary],
    ledger: Iterable[GuildEvent],
    series: set[str],
    fingerprint_of: Mapping[int, str],
    now: dt.datetime,
) -> list[Action]:
    """The guild's actions, in order: fix what exists first, then create the missing (up to the cap).

    `fingerprint_of` maps a race id to the fingerprint of the event fields we would send now.
    """
    actions: list[Action] = []
    rows = {row.race_id: row for row in ledger}
    kept = 0
    for row in rows.values():
        race = ledger_races.get(row.race_id)
        wanted = race is not None and race.series in series
        if row.state in ("removed", "deleted_by_admin"):
            continue
        if row.state == "removing":
            actions.append(Remove(row))
        elif row.state == "creating":
            kept += 1
            actions.append(Recover(race if wanted and race and in_window(race, now) else None, row))
        elif row.state == "active":
            if not wanted or race is None:
                if row.start_utc > now:  # past events are Discord's to complete; leave them be
                    actions.append(Remove(row))
                continue
            kept += 1 if row.start_utc > now else 0
            started = row.start_utc <= now
            movable = race.start_utc is not None and race.start_utc > now + MIN_LEAD
            if not started and movable and fingerprint_of.get(race.id) != row.fingerprint:
                actions.append(Edit(race, row))
        elif (
            row.state == "failed"
            and wanted
            and race is not None
            and in_window(race, now)
            and fingerprint_of.get(race.id) != row.fingerprint  # the race changed since Discord refused it
        ):
            actions.append(Create(race))
    missing = sorted(
        (r for r in window_races if r.series in series and r.id not in rows and in_window(r, now)),
        key=lambda r: (r.start_utc, r.id),
    )
    room = max(MAX_OWN_EVENTS - kept - sum(isinstance(a, Create) for a in actions), 0)
    actions.extend(Create(race) for race in missing[:room])
    return actions
