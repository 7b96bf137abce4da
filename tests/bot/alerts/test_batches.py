"""Batches are pure: which jobs a plan needs (per race and lead, not per guild) and how each post is decided."""

from __future__ import annotations

import datetime as dt

from bot.alerts.batches import (
    RESULTS_USEFUL_FOR,
    Batch,
    change_batches,
    delivery_for,
    notice_batches,
    post_decision,
    reminder_batches,
    results_batches,
    seen_changes,
)
from db.models.alerts import Lead
from db.repos.alerts import RaceWatch
from tests.bot.alerts.test_planner import START, race, sub


def test_one_reminder_batch_per_race_and_lead_in_use_whatever_the_number_of_guilds() -> None:
    batches = reminder_batches(
        [race(), race(16, START + dt.timedelta(days=7))], {"cup": {Lead(60), Lead(15)}, "truck": {Lead(30)}}
    )

    assert [(b.race.id, b.lead and b.lead.minutes) for b in batches] == [(15, 60), (15, 15), (16, 60), (16, 15)]
    assert batches[0].fire_at == START - dt.timedelta(hours=1)
    assert len({b.id for b in batches}) == 4


def test_a_moved_race_gets_one_change_batch_and_an_unmoved_one_none() -> None:
    now = START - dt.timedelta(days=1)
    moved = race(start=START + dt.timedelta(days=1))
    watch = {15: RaceWatch(race_id=15, start_utc=START, status="scheduled")}

    assert [(b.kind, b.previous_start) for b in change_batches([moved], watch, now)] == [("changes", START)]
    assert change_batches([race()], watch, now) == []


def test_results_batches_wait_each_delay_and_stop_once_no_longer_useful() -> None:
    official = START + dt.timedelta(hours=4)
    batches = results_batches(race(status="official"), official, [0, 3, 0], official)

    assert [(b.delay_h, b.fire_at) for b in batches] == [(0, official), (3, official + dt.timedelta(hours=3))]
    later = official + RESULTS_USEFUL_FOR + dt.timedelta(hours=1)
    assert [b.delay_h for b in results_batches(race(status="official"), official, {0, 3}, later)] == [3]


def test_a_guild_gets_a_batch_only_for_its_leads_kinds_and_since_it_was_set_up() -> None:
    batch = Batch("reminder", race(), START - dt.timedelta(minutes=60), lead=Lead(60))

    assert delivery_for(batch, sub(leads=(60,))) is not None
    assert delivery_for(batch, sub(leads=(15,))) is None
    assert delivery_for(batch, sub(kinds=("results",))) is None
    assert delivery_for(batch, sub(updated=START)) is None  # set up after the fire time: no back-filling


def test_each_post_is_decided_with_the_clock_when_it_is_made() -> None:
    fire_at = START - dt.timedelta(minutes=60)
    delivery = delivery_for(Batch("reminder", race(), fire_at, lead=Lead(60)), sub())
    assert delivery is not None

    assert post_decision(delivery, sub(), fire_at + dt.timedelta(seconds=30))[0] == "on_time"
    assert post_decision(delivery, sub(), fire_at + dt.timedelta(minutes=10))[0] == "late"
    assert post_decision(delivery, sub(), fire_at + dt.timedelta(minutes=31))[0] == "missed"
    assert post_decision(delivery, None, fire_at)[0] == "missed"  # turned off since the page was read
    assert post_decision(delivery, sub(disabled="403"), fire_at)[0] == "missed"


def test_results_and_notices_skip_a_paused_guild_and_results_expire() -> None:
    official = START + dt.timedelta(hours=4)
    delivery = delivery_for(Batch("results", race(status="official"), official), sub())
    assert delivery is not None

    assert post_decision(delivery, sub(), official) == ("on_time", "")
    assert post_decision(delivery, sub(paused_until=official + dt.timedelta(days=1)), official)[0] == "skip"
    assert post_decision(delivery, sub(), official + RESULTS_USEFUL_FOR)[0] == "missed"


def test_a_recorded_change_is_noticed_by_every_process_while_the_race_is_upcoming() -> None:
    """The first process to see a move records it; the others plan from the record (issue 17)."""
    now = START - dt.timedelta(days=1)
    moved = race(start=START + dt.timedelta(hours=2))
    watch = {15: RaceWatch(race_id=15, start_utc=START, status="scheduled")}
    changes = seen_changes(change_batches([moved], watch, now), now)
    assert [(c.start_utc, c.previous_start, c.seen_at) for c in changes] == [(moved.start_utc, START, now)]

    later = now + dt.timedelta(minutes=5)  # another process, after the watch already says "moved"
    assert change_batches([moved], {15: watch[15].model_copy(update={"start_utc": moved.start_utc})}, later) == []
    batches = notice_batches([moved], {15: changes}, later)
    assert [(b.kind, b.fire_at, b.previous_start) for b in batches] == [("changes", now, START)]
    assert notice_batches([race()], {15: changes}, later) == []  # moved back: that start is not a change
    assert notice_batches([moved], {15: changes}, moved.start_utc + dt.timedelta(seconds=1)) == []  # started


def test_a_change_notice_is_not_back_filled_to_a_server_set_up_after_the_move() -> None:
    seen = START - dt.timedelta(days=1)
    batch = Batch("changes", race(start=START + dt.timedelta(hours=2)), seen, previous_start=START)

    assert delivery_for(batch, sub()) is not None
    assert delivery_for(batch, sub(updated=seen + dt.timedelta(minutes=1))) is None
