"""The alert repositories: the ledger claims a key once, marks only claims, and races can be moved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.models.alerts import Lead, RaceWatch, StartChange
from db.repos.alerts import AlertStore
from db.repos.schedule import ScheduleStore
from db.storage.backend import open_db
from db.storage.connection import connect, migration_steps
from db.storage.sqlite import SqliteDatabase

NOW = dt.datetime(2024, 5, 12, 18, 0, tzinfo=dt.UTC)


async def darlington_id(db: SqliteDatabase) -> int:
    row = await db.fetch_one("SELECT id FROM races WHERE name = 'Goodyear 400' AND season = 2024")
    assert row is not None
    return int(row[0])


# Guild 1's Cup alerts in channel 2: a 1-hour reminder, no role.
ONE_HOUR_CUP = {
    "guild_id": 1,
    "series": "cup",
    "channel_id": 2,
    "role_id": None,
    "leads": [Lead(60)],
    "kinds": ["reminder"],
}


async def claim(alerts: AlertStore, race_id: int, key: str = "reminder|k") -> bool:
    return await alerts.claim_delivery(
        key=key, kind="reminder", race_id=race_id, guild_id=1, channel_id=2, fire_at=NOW, lead=Lead(60), now=NOW
    )


async def test_a_key_is_claimed_once(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    race_id = await darlington_id(db)

    assert await claim(alerts, race_id) is True
    assert await claim(alerts, race_id) is False
    assert await alerts.ledger_keys(since=NOW - dt.timedelta(days=1)) == {"reminder|k"}


async def test_only_a_claim_can_be_marked_and_a_sent_row_stays_sent(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    await claim(alerts, await darlington_id(db))

    await alerts.mark_sent(key="reminder|k", message_id=99, late=True, now=NOW)
    await alerts.mark_missed(key="reminder|k", detail="late", now=NOW)

    row = await alerts.delivery(key="reminder|k")
    assert row is not None and (row.state, row.message_id, row.late) == ("sent", 99, True)
    assert await alerts.claims_before(before=NOW + dt.timedelta(days=1)) == []


async def test_claims_left_behind_are_listed_as_stale(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    await claim(alerts, await darlington_id(db))

    stale = await alerts.claims_before(before=NOW + dt.timedelta(minutes=5))

    assert [c.key for c in stale] == ["reminder|k"]
    assert await alerts.claims_before(before=NOW) == []


async def test_disabling_a_channel_keeps_the_first_reason(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    await alerts.save_subscription(
        guild_id=1, series="cup", channel_id=2, role_id=None, leads=[Lead(15), Lead(60)], kinds=["reminder"], now=NOW
    )

    assert await alerts.disable_channel(guild_id=1, channel_id=2, reason="403", now=NOW) == 1
    assert await alerts.disable_channel(guild_id=1, channel_id=2, reason="404", now=NOW) == 0
    (sub,) = await alerts.subscriptions(guild_id=1)
    assert sub.disabled_reason == "403" and sub.leads == (Lead(60), Lead(15))


async def test_setting_up_again_clears_a_disable_and_a_pause(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    await alerts.save_subscription(**ONE_HOUR_CUP, now=NOW)  # type: ignore[arg-type]
    await alerts.disable_channel(guild_id=1, channel_id=2, reason="403", now=NOW)
    await alerts.set_paused(guild_id=1, until=NOW + dt.timedelta(days=1), now=NOW)

    sub = await alerts.save_subscription(**ONE_HOUR_CUP, now=NOW + dt.timedelta(hours=1))  # type: ignore[arg-type]

    assert sub.disabled_reason is None and sub.paused_until is None
    assert sub.created_at == NOW and sub.updated_at == NOW + dt.timedelta(hours=1)


async def test_a_pause_without_an_end_is_its_own_state_until_resumed(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    await alerts.save_subscription(**ONE_HOUR_CUP, now=NOW)  # type: ignore[arg-type]

    await alerts.set_paused(guild_id=1, until=None, until_resumed=True, now=NOW)
    (paused,) = await alerts.subscriptions(guild_id=1)
    await alerts.set_paused(guild_id=1, until=None, now=NOW)
    (resumed,) = await alerts.subscriptions(guild_id=1)

    assert paused.paused_until_resumed and paused.paused_until is None
    assert paused.paused_at(NOW + dt.timedelta(days=36_500))  # no date stands in for "never"
    assert not resumed.paused_until_resumed and not resumed.paused_at(NOW)


async def test_an_old_indefinite_pause_becomes_the_until_resumed_state(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = await connect(path)
    try:
        for number, sql in migration_steps():
            if number >= 12:
                break
            await conn.executescript(sql)  # an older release's schema, step by step
            await conn.execute(f"PRAGMA user_version = {number}")
        await conn.execute(
            """INSERT INTO alert_subscriptions (guild_id, series, channel_id, leads_min, kinds, paused_until,
                   created_at, updated_at)
               VALUES (1, 'cup', 2, '[60]', '["reminder"]', '9999-01-01T00:00:00+00:00', ?, ?)""",
            (NOW.isoformat(), NOW.isoformat()),
        )
        await conn.commit()
    finally:
        await conn.close()

    async with open_db(path) as migrated:
        (sub,) = await AlertStore(migrated).subscriptions(guild_id=1)

    assert sub.paused_until_resumed and sub.paused_until is None


async def test_moving_a_race_sets_its_day_in_the_track_time_zone(db: SqliteDatabase) -> None:
    schedule = ScheduleStore(db)
    race_id = await darlington_id(db)

    # 02:00Z on May 13 is still May 12 in Darlington (EDT, UTC-4).
    await schedule.set_race_start(race_id=race_id, start_utc=dt.datetime(2024, 5, 13, 2, 0, tzinfo=dt.UTC), now=NOW)

    view = await schedule.next_races(series="cup", now=NOW)
    assert view.races[0].id == race_id
    assert view.races[0].race_date == dt.date(2024, 5, 12)


async def test_the_planner_window_lists_races_across_series_by_start(db: SqliteDatabase) -> None:
    races = await ScheduleStore(db).races_starting_between(start=NOW, end=NOW + dt.timedelta(days=8))

    assert [r.name for r in races][:2] == ["Goodyear 400", "NASCAR All-Star Race"]


async def test_a_start_change_is_recorded_once_with_the_watch_and_read_back_by_any_process(db: SqliteDatabase) -> None:
    alerts = AlertStore(db)
    race_id = await darlington_id(db)
    moved = NOW + dt.timedelta(hours=2)
    first = StartChange(race_id=race_id, start_utc=moved, previous_start=NOW, seen_at=NOW)
    later = first.model_copy(update={"seen_at": NOW + dt.timedelta(minutes=5)})

    await alerts.save_race_watch(
        seen=[RaceWatch(race_id=race_id, start_utc=moved, status="scheduled")], now=NOW, changes=[first]
    )
    await alerts.save_race_watch(seen=[], now=NOW, changes=[later])  # a second process saw it too

    assert await alerts.start_changes(race_ids=[race_id, race_id + 1]) == {race_id: [first]}
    assert (await alerts.race_watch(race_ids=[race_id]))[race_id].start_utc == moved
