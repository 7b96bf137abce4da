"""The planner's rules are pure: keys and nonces, the catch-up policy, what each reminder does at `now`."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.alerts.batches import Batch, change_batches, delivery_for, reminder_batches, results_batches
from bot.alerts.planner import (
    NONCE_LENGTH,
    PlannedDelivery,
    catch_up,
    delivery_key,
    delivery_nonce,
    newly_official,
    reminder_decision,
)
from db.models import RaceSummary, Source, Track
from db.models.alerts import Lead
from db.repos.alerts import AlertSubscription, RaceWatch

START = dt.datetime(2024, 5, 12, 19, 0, tzinfo=dt.UTC)
CONFIGURED = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def race(race_id: int = 15, start: dt.datetime = START, status: str = "scheduled", series: str = "cup") -> RaceSummary:
    return RaceSummary(
        id=race_id,
        series=series,
        season=2024,
        race_number=13,
        name="Goodyear 400",  # type: ignore[arg-type]
        track=Track(id=1, key="darlington", name="Darlington Raceway"),
        start_utc=start,
        race_date=start.date(),
        status=status,
        source=Source(key="VMN", title="schedule"),  # type: ignore[arg-type]
        updated_at=CONFIGURED,
    )


def sub(
    guild: int = 1,
    *,
    leads: tuple[int, ...] = (60,),
    kinds: tuple[str, ...] = ("reminder", "results", "changes"),
    paused_until: dt.datetime | None = None,
    disabled: str | None = None,
    updated: dt.datetime = CONFIGURED,
) -> AlertSubscription:
    return AlertSubscription(
        guild_id=guild,
        series="cup",
        channel_id=guild * 10,
        role_id=None,
        leads=tuple(Lead(m) for m in leads),
        kinds=kinds,
        paused_until=paused_until,
        disabled_reason=disabled,  # type: ignore[arg-type]
        created_at=updated,
        updated_at=updated,
    )


def reminder(
    lead: int = 60, start: dt.datetime = START, subscription: AlertSubscription | None = None
) -> PlannedDelivery | None:
    """The subscription's delivery of the reminder batch `lead` minutes before `start` (None: not wanted)."""
    batch = Batch("reminder", race(start=start), Lead(lead).before(start), lead=Lead(lead))
    return delivery_for(batch, subscription or sub())


def test_future_reminders_wait_and_fire_at_start_minus_lead() -> None:
    subscription = sub(leads=(1440, 60, 15))
    batches = reminder_batches([race()], {"cup": set(subscription.leads)})
    now = START - dt.timedelta(hours=3)

    deliveries = [delivery_for(b, subscription) for b in batches]
    decisions = [reminder_decision(d, subscription, now)[0] for d in deliveries if d is not None]

    assert [b.fire_at for b in batches] == [
        START - dt.timedelta(days=1),
        START - dt.timedelta(hours=1),
        START - dt.timedelta(minutes=15),
    ]
    # The 1-day reminder was due 21 h ago: more than half its lead late, so missed rather than sent.
    assert decisions == ["missed", "wait", "wait"]


@pytest.mark.parametrize(
    ("late_by", "expected"),
    [
        (dt.timedelta(seconds=-1), "wait"),
        (dt.timedelta(seconds=30), "on_time"),
        (dt.timedelta(minutes=10), "late"),
        (dt.timedelta(minutes=29), "late"),
        (dt.timedelta(minutes=30), "missed"),  # half the lead
        (dt.timedelta(minutes=61), "missed"),  # the race has started
    ],
)
def test_catch_up_sends_late_only_while_useful(late_by: dt.timedelta, expected: str) -> None:
    fire_at = START - dt.timedelta(hours=1)

    assert catch_up(fire_at=fire_at, race_start=START, lead=Lead(60), now=fire_at + late_by) == expected


def test_downtime_past_half_the_lead_records_a_missed_reminder_with_the_reason() -> None:
    assert reminder_decision(reminder(), sub(), START - dt.timedelta(minutes=20)) == (
        "missed",
        "the bot was offline at the reminder time and it was too late to be useful",
    )


def test_a_reminder_before_the_alerts_were_configured_is_neither_sent_nor_missed() -> None:
    assert reminder(subscription=sub(updated=START - dt.timedelta(minutes=55))) is None


def test_a_reminder_falling_in_a_pause_is_recorded_as_missed_when_its_time_comes() -> None:
    paused = sub(paused_until=START + dt.timedelta(days=1))
    delivery = reminder(subscription=paused)

    assert reminder_decision(delivery, paused, START - dt.timedelta(hours=2))[0] == "wait"
    assert reminder_decision(delivery, paused, START - dt.timedelta(minutes=59)) == ("missed", "alerts were paused")


def test_disabled_and_reminder_less_subscriptions_get_no_reminder() -> None:
    assert reminder(subscription=sub(1, disabled="403")) is None
    assert reminder(subscription=sub(2, kinds=("results",))) is None


def test_a_new_start_time_makes_new_keys_so_reminders_follow_it() -> None:
    moved = START + dt.timedelta(hours=2)

    before, after = reminder(start=START), reminder(start=moved)

    assert before is not None and after is not None and before.key != after.key
    assert after.fire_at == moved - dt.timedelta(hours=1)


def test_a_changed_start_gives_a_notice_to_each_subscription_wanting_changes() -> None:
    moved = race(start=START + dt.timedelta(hours=2))
    watch = {15: RaceWatch(race_id=15, start_utc=START, status="scheduled")}
    (batch,) = change_batches([moved], watch, START - dt.timedelta(minutes=30))

    notices = [delivery_for(batch, s) for s in (sub(1), sub(2, kinds=("reminder",)))]

    assert [(n.guild_id, n.previous_start) for n in notices if n] == [(1, START)]


def test_an_unchanged_or_first_seen_race_gives_no_notice() -> None:
    now = START - dt.timedelta(hours=3)
    same = {15: RaceWatch(race_id=15, start_utc=START, status="scheduled")}

    assert change_batches([race()], same, now) == []
    assert change_batches([race()], {}, now) == []


def test_results_alerts_are_keyed_once_per_race_and_channel() -> None:
    now = START + dt.timedelta(hours=4)
    (batch,) = results_batches(race(status="official"), now, [0], now)

    first, again = delivery_for(batch, sub()), delivery_for(batch, sub())

    assert first is not None and again is not None and first.key == again.key and first.lead is None


def test_newly_official_needs_to_have_seen_the_race_unofficial() -> None:
    watch = {15: RaceWatch(race_id=15, start_utc=START, status="provisional")}

    assert [r.id for r in newly_official([race(status="official")], watch)] == [15]
    assert newly_official([race(status="official")], {}) == []


def test_the_nonce_is_stable_short_and_distinct_per_key() -> None:
    key = delivery_key("reminder", 15, START, 1, 10, Lead(60))

    assert delivery_nonce(key) == delivery_nonce(key)
    assert len(delivery_nonce(key)) == NONCE_LENGTH
    assert delivery_nonce(key) != delivery_nonce(delivery_key("reminder", 15, START, 1, 10, Lead(15)))
    assert key == "reminder|15|2024-05-12T19:00Z|1|10|60"
