"""The event planner: create within the window, edit on a moved start, never recreate, never duplicate."""

from __future__ import annotations

import datetime as dt

from bot.embeds.events import event_fields
from bot.events.plan import MAX_OWN_EVENTS, WINDOW, Create, Edit, Recover, Remove, plan_guild
from db.models import RaceSummary, Source, Track
from db.models.events import EventState, GuildEvent

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
TRACK = Track(id=1, key="kansas", name="Kansas Speedway", city="Kansas City", state="KS")
SOURCE = Source(key="VMN", title="Schedule")


def race(race_id: int, start: dt.datetime | None, *, series: str = "cup") -> RaceSummary:
    return RaceSummary(
        id=race_id, series=series, season=2026, race_number=race_id, name=f"Race {race_id} 400", track=TRACK,  # type: ignore[arg-type]
        start_utc=start, race_date=(start or NOW).date(), source=SOURCE, updated_at=NOW,
    )  # fmt: skip


def row(
    r: RaceSummary, state: EventState = "active", *, start: dt.datetime | None = None, fp: str | None = None
) -> GuildEvent:
    sent = fp if fp is not None else (event_fields(r).fingerprint if r.start_utc else "")
    return GuildEvent(
        guild_id=1, race_id=r.id, event_id=100 + r.id if state != "creating" else None, state=state,
        name=r.name, start_utc=start or r.start_utc or NOW, fingerprint=sent, detail=None, updated_at=NOW,
    )  # fmt: skip


def plan(
    window: list[RaceSummary],
    ledger: list[GuildEvent],
    known: list[RaceSummary] | None = None,
    series: set[str] | None = None,
) -> list:  # type: ignore[type-arg]
    known_races = {r.id: r for r in (known if known is not None else window)}
    fps = {r.id: event_fields(r).fingerprint for r in (*window, *known_races.values()) if r.start_utc}
    return plan_guild(
        window_races=window,
        ledger_races=known_races,
        ledger=ledger,
        series=series or {"cup"},
        fingerprint_of=fps,
        now=NOW,
    )


def test_every_race_in_the_window_gets_one_create_in_start_order() -> None:
    races = [race(2, NOW + dt.timedelta(days=14)), race(1, NOW + dt.timedelta(days=7))]

    actions = plan(races, [])

    assert [type(a) for a in actions] == [Create, Create] and [a.race.id for a in actions] == [1, 2]


def test_races_outside_the_window_or_too_soon_or_without_a_start_wait() -> None:
    races = [
        race(1, NOW + dt.timedelta(minutes=5)),  # Discord would refuse a start this close
        race(2, NOW + WINDOW + dt.timedelta(hours=1)),
        race(3, None),
        race(4, NOW - dt.timedelta(days=1)),
    ]

    assert plan(races, []) == []


def test_a_race_with_its_event_and_unchanged_data_needs_nothing() -> None:
    r = race(1, NOW + dt.timedelta(days=7))

    assert plan([r], [row(r)]) == []


def test_a_moved_start_edits_the_existing_event_and_never_creates_a_second() -> None:
    before = race(1, NOW + dt.timedelta(days=7))
    moved = race(1, NOW + dt.timedelta(days=8))

    actions = plan([moved], [row(before)])

    assert actions == [Edit(moved, row(before))]


def test_an_event_an_admin_deleted_is_never_made_again() -> None:
    r = race(1, NOW + dt.timedelta(days=7))

    assert plan([r], [row(r, "deleted_by_admin")]) == []
    assert plan([r], [row(r, "removed")]) == []


def test_a_series_the_server_dropped_or_a_race_gone_from_the_store_is_removed() -> None:
    cup, truck = race(1, NOW + dt.timedelta(days=7)), race(2, NOW + dt.timedelta(days=7), series="truck")
    ledger = [row(cup), row(truck)]

    actions = plan([cup], ledger, known=[cup, truck], series={"cup"})
    gone = plan([], [row(cup)], known=[])

    assert actions == [Remove(ledger[1])] and gone == [Remove(row(cup))]


def test_a_started_event_is_left_to_discord() -> None:
    r = race(1, NOW - dt.timedelta(hours=1))
    moved = race(1, NOW + dt.timedelta(days=1))  # rain: the race moved after the event began

    assert plan([], [row(r)], known=[moved]) == []


def test_a_claim_left_by_a_crash_is_recovered_before_anything_is_created() -> None:
    r = race(1, NOW + dt.timedelta(days=7))
    claim = row(r, "creating")

    assert plan([r], [claim]) == [Recover(r, claim)]
    assert plan([], [claim], known=[r], series={"truck"}) == [Recover(None, claim)]


def test_a_refused_event_is_tried_again_only_when_the_race_changed() -> None:
    r = race(1, NOW + dt.timedelta(days=7))
    refused = row(r, "failed")

    assert plan([r], [refused]) == []
    assert plan([r], [row(r, "failed", fp="older")]) == [Create(r)]


def test_never_more_than_our_share_of_discords_100_events() -> None:
    races = [race(i, NOW + dt.timedelta(hours=1 + i)) for i in range(1, MAX_OWN_EVENTS + 10)]
    kept = [row(r) for r in races[:5]]

    creates = [a for a in plan(races, kept) if isinstance(a, Create)]

    assert len(creates) == MAX_OWN_EVENTS - 5 and creates[0].race.id == 6


def test_event_fields_stay_within_discords_limits() -> None:
    long = race(1, NOW + dt.timedelta(days=1)).model_copy(update={"name": "N" * 300})
    fields = event_fields(long.model_copy(update={"track": TRACK.model_copy(update={"name": "T" * 300})}))

    assert len(fields.name) <= 100 and len(fields.location) <= 100 and len(fields.description) <= 1000
    assert fields.end > fields.start and fields.description.endswith("ref pf-ev-1")
