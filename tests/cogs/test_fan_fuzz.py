"""Random input at every option of the fan commands: always answered, never an unhandled error."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import UserFacingError
from tests.conftest import World

TEXT = st.text(min_size=1, max_size=100)
NAMES = st.one_of(TEXT, st.sampled_from(["kansas", "dega", "KC", "Larson", "Yung Money", "@everyone", "1", "0"]))
SERIES = st.sampled_from(["cup", "xfinity", "truck"])

COMMANDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "result": {
        "track": NAMES,
        "season": st.integers(1949, 2100),
        "series": SERIES,
        "race": st.one_of(TEXT, st.integers(0, 10**12).map(str)),
    },
    "driver": {"name": NAMES},
    "quote": {"driver": NAMES, "race": st.one_of(TEXT, st.integers(0, 10**6).map(str)), "search": TEXT},
    "closest": {"count": st.integers(1, 25), "track": NAMES, "driver": NAMES},
    "about": {},
}
REQUIRED = {"result": {"track"}, "driver": {"name"}}
AUTOCOMPLETE = {
    "result": ("track", "race"),
    "driver": ("name",),
    "quote": ("driver", "race"),
    "closest": ("track", "driver"),
}


@st.composite
def invocations(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    options: dict[str, Any] = {}
    for option, strategy in COMMANDS[name].items():
        if option in REQUIRED.get(name, set()) or draw(st.booleans()):
            options[option] = draw(strategy)
    return name, options


def unexpected(world: World) -> list[BaseException]:
    return [e for e in world.env.errors if not isinstance(e, UserFacingError)]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(invocation=invocations(), typed=st.text(max_size=100))
async def test_random_options_are_always_answered(
    world: World, invocation: tuple[str, dict[str, Any]], typed: str
) -> None:
    name, options = invocation

    result = await world.fan.slash(world.channel, name, **options)
    assert result.acknowledged, (name, options)
    for option in AUTOCOMPLETE.get(name, ()):
        filled = {k: v for k, v in options.items() if k != option}
        choices = await world.fan.autocomplete(world.channel, name, option, typed, **filled)
        assert len(choices) <= 25
        assert all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices)

    assert unexpected(world) == [], (name, options)
