"""/events end to end through simcord, with Discord's rules for scheduled events enforced (events_world.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
import pytest
from simcord.backend.errors import SetupError

from db.repos.events import EventStore
from tests.cogs.events_world import enforce_discord_event_rules, event_sync, guild_events, requests
from tests.conftest import World

# Seven 2026 Cup races of the bundled schedule start in the eight weeks after this (COTA to Kansas).
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
COTA_START = "2026-03-01T20:30:00+00:00"


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def refused(world: World) -> list[dict[str, Any]]:
    return enforce_discord_event_rules(world)


async def set_up(world: World, **options: Any) -> Any:
    result = await world.admin.slash(world.channel, "events setup", **options)
    assert result.ephemeral
    return result


def final(result: Any) -> Any:
    """The answer after a deferral: the last follow-up, or the (edited) original response."""
    return result.followups[-1] if result.followups else result.response


async def race_id(world: World, name: str, season: int = 2026) -> int:
    row = await world.bot.store.db.fetch_one(
        "SELECT id FROM races WHERE name = ? AND season = ? AND series = 'cup'", (name, season)
    )
    assert row is not None
    return int(row[0])


async def ledger_states(world: World) -> dict[int, str]:
    rows = await EventStore(world.bot.store.db).guild_events(guild_id=world.guild.id)
    return {r.race_id: r.state for r in rows}


async def test_events_are_hidden_from_fans(world: World, refused: list[dict[str, Any]]) -> None:
    with pytest.raises(SetupError, match="default-member-permissions"):
        await world.fan.slash(world.channel, "events setup")


async def test_the_runtime_check_refuses_a_fan_even_when_the_command_is_granted(
    world: World, refused: list[dict[str, Any]]
) -> None:
    command = next(c for c in await world.bot.tree.fetch_commands() if c.name == "events")
    world.guild.set_command_permissions(command.id, {world.fan: True})

    result = await world.fan.slash(world.channel, "events setup")

    assert result.ephemeral and "Manage Server" in result.response.content
    assert guild_events(world) == []


async def test_setup_makes_one_external_event_per_race_in_the_next_eight_weeks(
    world: World, refused: list[dict[str, Any]]
) -> None:
    result = await set_up(world)

    events = guild_events(world)
    assert len(events) == 7 and not refused
    cota = events[0]
    assert cota.name == "NASCAR Cup: DuraMAX Grand Prix"
    assert cota.entity_type == 3 and cota.entity_metadata == {"location": "Circuit of the Americas, Austin, TX"}
    assert cota.scheduled_start_time == COTA_START
    assert cota.scheduled_end_time == "2026-03-02T00:30:00+00:00"  # the estimated 4 h
    assert "Race 3 of the 2026 NASCAR Cup Series season" in cota.description
    assert events[-1].name == "NASCAR Cup: AdventHealth 400"
    assert "7 created now" in final(result).embeds[0].description


async def test_syncing_again_changes_nothing_and_sends_nothing(world: World, refused: list[dict[str, Any]]) -> None:
    await set_up(world)
    posts, patches = requests(world, "POST"), requests(world, "PATCH")

    await event_sync(world.bot).sync_all()
    await set_up(world)  # an admin running setup twice

    assert (requests(world, "POST"), requests(world, "PATCH")) == (posts, patches)
    assert len(guild_events(world)) == 7


async def test_a_moved_start_edits_the_one_event_after_the_data_changes(
    world: World, refused: list[dict[str, Any]]
) -> None:
    await set_up(world)
    before = {e.name: e.id for e in guild_events(world)}
    darlington = await race_id(world, "Goodyear 400")
    moved = dt.datetime(2026, 3, 23, 17, 0, tzinfo=dt.UTC)  # rain: Monday at noon Eastern
    patches = requests(world, "PATCH")

    await world.bot.store.schedule.set_race_start(race_id=darlington, start_utc=moved, now=world.clock())
    await world.env.advance_time(61)  # the sync sees the data version move within a minute

    events = guild_events(world)
    assert {e.name: e.id for e in events} == before  # same events, no duplicate
    goodyear = next(e for e in events if e.name == "NASCAR Cup: Goodyear 400")
    assert goodyear.scheduled_start_time == "2026-03-23T17:00:00+00:00"
    assert requests(world, "PATCH") == patches + 1 and not refused


async def test_an_event_an_admin_deletes_is_not_made_again(world: World, refused: list[dict[str, Any]]) -> None:
    await set_up(world)
    cota = guild_events(world)[0]

    world.env.backend.delete_scheduled_event(world.guild.id, cota.id)  # an admin, in Discord
    await world.env.settle()
    await event_sync(world.bot).sync_all()
    await world.env.advance_time(31 * 60)  # the periodic pass too

    assert len(guild_events(world)) == 6
    assert (await ledger_states(world))[await race_id(world, "DuraMAX Grand Prix")] == "deleted_by_admin"


async def test_a_deletion_the_gateway_missed_is_learnt_from_unknown_event_on_edit(
    world: World, refused: list[dict[str, Any]]
) -> None:
    await set_up(world)
    phoenix = next(e for e in guild_events(world) if "Straight Talk" in e.name)
    del world.env.backend.get_guild(world.guild.id).scheduled_events[phoenix.id]  # gone, no gateway event
    race = await race_id(world, "Straight Talk Wireless 500")
    posts = requests(world, "POST")

    await world.bot.store.schedule.set_race_start(
        race_id=race, start_utc=dt.datetime(2026, 3, 9, 18, 0, tzinfo=dt.UTC), now=world.clock()
    )
    await event_sync(world.bot).sync_all()
    await event_sync(world.bot).sync_all()

    assert (await ledger_states(world))[race] == "deleted_by_admin"
    assert requests(world, "POST") == posts and len(guild_events(world)) == 6


async def test_events_off_removes_only_our_events(world: World, refused: list[dict[str, Any]]) -> None:
    theirs = world.guild.create_scheduled_event(
        "Watch party", start_time="2026-03-08T19:00:00+00:00", end_time="2026-03-08T23:00:00+00:00",
        entity_type=3, location="The pub",
    )  # fmt: skip
    await set_up(world)
    assert len(guild_events(world)) == 8

    result = await world.admin.slash(world.channel, "events off")

    assert [e.id for e in guild_events(world)] == [theirs.id]
    assert "I removed 7 events I had made" in final(result).content
    assert set((await ledger_states(world)).values()) == {"removed"}  # our own deletes are not an admin's
    await event_sync(world.bot).sync_all()
    assert [e.id for e in guild_events(world)] == [theirs.id]


class TestRollingWindow:
    # Ten minutes before Talladega (2026-04-26 19:00Z) comes within eight weeks.
    @pytest.fixture
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 3, 1, 18, 50, tzinfo=dt.UTC)

    async def test_the_window_rolls_forward_on_the_periodic_pass_without_duplicates(
        self, world: World, refused: list[dict[str, Any]]
    ) -> None:
        await set_up(world)
        assert "NASCAR Cup: Jack Link's 500" not in [e.name for e in guild_events(world)]

        await world.env.advance_time(31 * 60)

        names = [e.name for e in guild_events(world)]
        assert names[-1] == "NASCAR Cup: Jack Link's 500" and len(names) == 8 == len(set(names))
        assert not refused


async def test_setup_without_the_create_events_permission_is_refused(
    world: World, refused: list[dict[str, Any]]
) -> None:
    backend = world.env.backend
    guild = backend.get_guild(world.guild.id)
    bot_role = next(r for r in guild.roles.values() if r.name == "TestBot")
    permissions = discord.Permissions(bot_role.permissions)
    permissions.update(manage_events=False, create_events=False)
    backend.edit_role(world.guild.id, bot_role.id, {"permissions": permissions.value})
    await world.env.settle()

    result = await world.admin.slash(world.channel, "events setup")

    assert result.ephemeral and "Create Events permission" in result.response.content
    assert guild_events(world) == []


async def test_a_full_guild_stops_at_discords_cap_and_tries_again_later(
    world: World, refused: list[dict[str, Any]]
) -> None:
    for i in range(97):
        world.guild.create_scheduled_event(
            f"Server event {i}", start_time="2026-06-01T19:00:00+00:00", end_time="2026-06-01T21:00:00+00:00",
            entity_type=3, location="Here",
        )  # fmt: skip

    result = await set_up(world)

    assert len(guild_events(world)) == 100 and {"cap": "30038"} in refused
    assert "maximum of 100 upcoming events" in final(result).embeds[0].description
    states = await ledger_states(world)
    assert list(states.values()).count("active") == 3 and "creating" not in states.values()

    for event in guild_events(world)[-4:]:  # the server clears some of its own events
        if event.name.startswith("Server event"):
            world.env.backend.delete_scheduled_event(world.guild.id, event.id)
    await world.env.settle()
    await event_sync(world.bot).sync_all()

    ours = [e for e in guild_events(world) if e.name.startswith("NASCAR Cup")]
    assert len(ours) == 7 and len(guild_events(world)) == 100


async def test_a_create_interrupted_by_a_crash_is_adopted_not_duplicated(
    world: World, refused: list[dict[str, Any]]
) -> None:
    # The bot claimed COTA and Discord created the event, then the bot stopped before recording it.
    cota = await race_id(world, "DuraMAX Grand Prix")
    events = EventStore(world.bot.store.db)
    await events.subscribe(guild_id=world.guild.id, series="cup", now=NOW)
    await events.claim(guild_id=world.guild.id, race_id=cota, name="x", start_utc=NOW, fingerprint="x", now=NOW)
    made = world.env.backend.create_scheduled_event(
        world.guild.id, name="NASCAR Cup: DuraMAX Grand Prix", entity_type=3, scheduled_start_time=COTA_START,
        scheduled_end_time="2026-03-02T00:30:00+00:00", description=f"… ref pf-ev-{cota}",
        entity_metadata={"location": "COTA"},
    )  # fmt: skip

    await event_sync(world.bot).sync_all()

    events_now = guild_events(world)
    assert len(events_now) == 7 and sum(e.name == "NASCAR Cup: DuraMAX Grand Prix" for e in events_now) == 1
    adopted = (await events.guild_events(guild_id=world.guild.id))[0]
    assert (adopted.race_id, adopted.event_id, adopted.state) == (cota, made.id, "active")
    assert next(e for e in events_now if e.id == made.id).entity_metadata == {
        "location": "Circuit of the Americas, Austin, TX"
    }  # brought up to date by an edit


async def test_a_race_name_too_long_for_discord_is_clipped_to_100(world: World, refused: list[dict[str, Any]]) -> None:
    await world.bot.store.db.execute(
        "UPDATE races SET name = ? WHERE id = ?",
        ("The " + "Very " * 40 + "Long 400", await race_id(world, "Cook Out 400")),
    )

    await set_up(world)

    assert not refused and max(len(e.name) for e in guild_events(world)) == 100


async def test_status_lists_the_events_kept(world: World, refused: list[dict[str, Any]]) -> None:
    await set_up(world)

    result = await world.admin.slash(world.channel, "events status")

    embed = result.response.embeds[0]
    assert result.ephemeral and "NASCAR Cup Series" in embed.description
    assert embed.fields[0].name == "Upcoming (7)" and "DuraMAX Grand Prix" in embed.fields[0].value


async def test_an_event_discord_refuses_is_not_retried_until_its_race_changes(
    world: World, refused: list[dict[str, Any]]
) -> None:
    world.env.inject_error("POST", "/guilds/*/scheduled-events", status=400, code=50035, message="Invalid Form Body")

    await set_up(world)
    cota = await race_id(world, "DuraMAX Grand Prix")
    assert (await ledger_states(world))[cota] == "failed" and len(guild_events(world)) == 6
    await event_sync(world.bot).sync_all()
    assert len(guild_events(world)) == 6

    await world.bot.store.schedule.set_race_start(
        race_id=cota, start_utc=dt.datetime(2026, 3, 1, 21, 0, tzinfo=dt.UTC), now=world.clock()
    )
    await event_sync(world.bot).sync_all()

    assert (await ledger_states(world))[cota] == "active" and len(guild_events(world)) == 7
