"""Random payloads at every command, option, autocomplete and button: always answered, never an unhandled
error, and no message can ping anything but the alert role an admin configured.

The commands and their option types, ranges and choices are read from the bot's own command tree, so a
new command is fuzzed without editing this file. FAULT_EXAMPLES sets the count (default 300 in
`make test`); `python -m bench.fuzz_commands` runs 10,000.
"""

from __future__ import annotations

import os
import time
from typing import Any

import discord
from discord import app_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import World, answered_on_purpose

EXAMPLES = int(os.environ.get("FAULT_EXAMPLES", "300"))
ANSWER_WITHIN_S = 3.0
TRICKY = ["@everyone", "@here", "<@&1>", "<@1>", "kansas", "dega", "Larson", "1h", "0", "-1", "2024-05-20", " "]


_EXTRAS: dict[int, tuple[Any, Any]] = {}


def extras(world: World) -> tuple[Any, Any]:
    """A second channel (for /alerts setup) and a role to ping, made once per world."""
    if id(world) not in _EXTRAS:
        _EXTRAS.clear()
        _EXTRAS[id(world)] = (world.guild.create_text_channel("race-alerts"), world.guild.create_role("Race fans"))
    return _EXTRAS[id(world)]


def leaves(world: World) -> list[app_commands.Command[Any, ..., Any]]:
    return sorted(
        (c for c in world.bot.tree.walk_commands() if isinstance(c, app_commands.Command)),
        key=lambda c: c.qualified_name,
    )


def option_values(parameter: app_commands.Parameter, world: World) -> st.SearchStrategy[Any]:
    kind = parameter.type
    if parameter.choices:
        return st.sampled_from([c.value for c in parameter.choices])
    if kind is discord.AppCommandOptionType.string:
        low, high = int(parameter.min_value or 1), int(parameter.max_value or 100)
        text = st.text(min_size=low, max_size=high).filter(lambda s: s.strip() != "")
        return st.one_of(text, st.sampled_from([t for t in TRICKY if low <= len(t) <= high and t.strip()]))
    if kind is discord.AppCommandOptionType.integer:
        low = int(parameter.min_value) if parameter.min_value is not None else -(2**31)
        high = int(parameter.max_value) if parameter.max_value is not None else 2**31
        return st.integers(low, high)
    if kind is discord.AppCommandOptionType.boolean:
        return st.booleans()
    if kind is discord.AppCommandOptionType.channel:
        return st.sampled_from([world.channel, extras(world)[0]])
    if kind is discord.AppCommandOptionType.role:
        return st.just(extras(world)[1])
    if kind is discord.AppCommandOptionType.user:
        return st.sampled_from([world.admin, world.fan])
    raise AssertionError(f"no strategy for {kind} ({parameter.name})")


def mention_problems(requests: list[Any], alert_roles: set[int]) -> list[str]:
    """Message payloads that could ping anyone except a configured alert role."""
    problems = []
    for request in requests:
        for body in _message_bodies(request.json):
            allowed = body.get("allowed_mentions")
            if allowed is None:
                problems.append(f"{request.method} {request.path}: no allowed_mentions")
            elif allowed.get("parse") or allowed.get("users") or allowed.get("replied_user"):
                problems.append(f"{request.method} {request.path}: {allowed}")
            elif not {int(r) for r in allowed.get("roles", [])} <= alert_roles:
                problems.append(f"{request.method} {request.path}: roles {allowed['roles']} not configured")
    return problems


def custom_ids(components: list[Any]) -> list[str]:
    """The enabled buttons' custom ids in a message's (raw) components."""
    found = []
    for row in components:
        for component in row.get("components", [row]):
            if component.get("custom_id") and not component.get("disabled"):
                found.append(component["custom_id"])
    return found


def _message_bodies(json: Any) -> list[dict[str, Any]]:
    if not isinstance(json, dict):
        return []
    body = json.get("data", json) if "type" in json else json
    return [body] if isinstance(body, dict) and ("content" in body or "embeds" in body) else []


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
async def test_random_payloads_are_answered_in_time_without_stray_mentions(world: World, data: st.DataObject) -> None:
    role = extras(world)[1]
    command = data.draw(st.sampled_from(leaves(world)), label="command")
    options: dict[str, Any] = {}
    for parameter in command.parameters:
        if parameter.required or data.draw(st.booleans()):
            options[parameter.display_name] = data.draw(option_values(parameter, world), label=parameter.name)
    admin_only = (command.root_parent or command).default_permissions is not None  # e.g. /alerts, /triviaset
    actor = world.admin if admin_only else data.draw(st.sampled_from([world.admin, world.fan]), label="actor")
    seen = len(world.env.http_requests)

    started = time.perf_counter()
    result = await actor.slash(world.channel, command.qualified_name, **options)
    elapsed = time.perf_counter() - started

    assert result.acknowledged, (command.qualified_name, options)
    assert elapsed < ANSWER_WITHIN_S, (command.qualified_name, options, elapsed)
    for parameter in command.parameters:
        if parameter.autocomplete:
            typed = data.draw(st.text(max_size=100), label=f"typed {parameter.name}")
            filled = {k: v for k, v in options.items() if k != parameter.display_name}
            choices = await actor.autocomplete(
                world.channel, command.qualified_name, parameter.display_name, typed, **filled
            )
            assert len(choices) <= 25
    # Drawn whatever the answer held, so each example draws the same way when hypothesis replays it.
    click, pick = data.draw(st.booleans(), label="click"), data.draw(st.integers(0, 99), label="button")
    clicker = data.draw(st.sampled_from([world.admin, world.fan]), label="clicker")
    clickable = custom_ids(result.response.components) if result.response else []
    if click and clickable:
        custom_id = clickable[pick % len(clickable)]
        clicked = await clicker.click(result.response, custom_id=custom_id)
        assert clicked.acknowledged, custom_id
    if data.draw(st.integers(0, 9), label="wait") == 0:
        await world.env.advance_time(data.draw(st.floats(1, 120), label="seconds"))

    alert_roles = {s.role_id for s in await world.bot.store.alerts.subscriptions() if s.role_id is not None}
    assert mention_problems(world.env.http_requests[seen:], alert_roles | {role.id}) == []
    assert [e for e in world.env.errors if not answered_on_purpose(e)] == [], (command.qualified_name, options)
