"""The planner is pure: races, subscriptions, the ledger and now in; what to send when out."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.alerts.planner import (
    NONCE_LENGTH,
    Plan,
    catch_up,
    delivery_key,
    delivery_nonce,
    newly_official,
    plan_change_notices,
    plan_reminders,
    plan_results_alerts,
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


def plan_at(now: dt.datetime, *, subs: list[AlertSubscription] | None = None, ledger: set[str] | None = None) -> Plan:
    return plan_reminders([race()], subs or [sub()], ledger or set(), now)


def test_future_reminders_are_scheduled_at_start_minus_lead() -> None:
    plan = plan_at(START - dt.timedelta(hours=3), subs=[sub(leads=(1440, 60, 15))])

    assert [d.fire_at for d in plan.scheduled] == [START - dt.timedelta(hours=1), START - dt.timedelta(minutes=15)]
    # The 1-day reminder was due 21 h ago: more than half its lead late, so missed rather than sent.
    assert plan.due == () and [m.delivery.lead for m in plan.missed] == [Lead(1440)]


def test_reminders_already_in_the_ledger_are_not_planned_again() -> None:
    key = delivery_key("reminder", 15, START, 1, 10, Lead(60))

    plan = plan_at(START - dt.timedelta(minutes=59), ledger={key})

    assert plan == Plan(scheduled=(), due=(), missed=())


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
    plan = plan_at(START - dt.timedelta(minutes=20))

    assert plan.due == ()
    assert [m.reason for m in plan.missed] == [
        "the bot was offline at the reminder time and it was too late to be useful"
    ]


def test_a_reminder_before_the_alerts_were_configured_is_neither_sent_nor_missed() -> None:
    plan = plan_at(START - dt.timedelta(minutes=50), subs=[sub(updated=START - dt.timedelta(minutes=55))])

    assert plan == Plan(scheduled=(), due=(), missed=())


def test_a_reminder_falling_in_a_pause_is_recorded_as_missed_when_its_time_comes() -> None:
    paused = sub(paused_until=START + dt.timedelta(days=1))

    assert len(plan_at(START - dt.timedelta(hours=2), subs=[paused]).scheduled) == 1
    plan = plan_at(START - dt.timedelta(minutes=59), subs=[paused])
    assert plan.due == () and [m.reason for m in plan.missed] == ["alerts were paused"]


def test_disabled_and_reminder_less_subscriptions_plan_nothing() -> None:
    plan = plan_at(START - dt.timedelta(hours=2), subs=[sub(1, disabled="403"), sub(2, kinds=("results",))])

    assert plan == Plan(scheduled=(), due=(), missed=())


def test_a_new_start_time_makes_new_keys_so_reminders_follow_it() -> None:
    moved = START + dt.timedelta(hours=2)
    old_key = delivery_key("reminder", 15, START, 1, 10, Lead(60))

    plan = plan_reminders([race(start=moved)], [sub()], {old_key}, START - dt.timedelta(minutes=59))

    assert [d.fire_at for d in plan.scheduled] == [moved - dt.timedelta(hours=1)]


def test_a_changed_start_gives_one_notice_per_subscription_wanting_changes() -> None:
    moved = race(start=START + dt.timedelta(hours=2))
    watch = {15: RaceWatch(race_id=15, start_utc=START, status="scheduled")}
    subs = [sub(1), sub(2, kinds=("reminder",))]
    now = START - dt.timedelta(minutes=30)

    notices = plan_change_notices([moved], watch, subs, set(), now)

    assert [(n.guild_id, n.previous_start) for n in notices] == [(1, START)]
    assert plan_change_notices([moved], watch, subs, {notices[0].key}, now) == []


def test_an_unchanged_or_first_seen_race_gives_no_notice() -> None:
    now = START - dt.timedelta(hours=3)
    same = {15: RaceWatch(race_id=15, start_utc=START, status="scheduled")}

    assert plan_change_notices([race()], same, [sub()], set(), now) == []
    assert plan_change_notices([race()], {}, [sub()], set(), now) == []


def test_results_alerts_only_for_official_races_and_only_once() -> None:
    now = START + dt.timedelta(hours=4)

    assert plan_results_alerts(race(status="provisional"), [sub()], set(), now) == []
    alerts = plan_results_alerts(race(status="official"), [sub()], set(), now)
    assert len(alerts) == 1
    assert plan_results_alerts(race(status="official"), [sub()], {alerts[0].key}, now) == []


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
