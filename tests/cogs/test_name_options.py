"""Every track, driver, race and quoted-race option goes through one Transformer: same bounds, autocomplete, errors."""

from __future__ import annotations

from typing import Any

from tests.conftest import World

NAME_OPTIONS = {
    ("result", "track"),
    ("result", "race"),
    ("closest", "track"),
    ("closest", "driver"),
    ("driver", "name"),
    ("quote", "driver"),
    ("quote", "race"),
}


def _options(world: World) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for command in world.bot.tree.get_commands():
        for option in command.to_dict(world.bot.tree).get("options", []):
            found[(command.name, option["name"])] = option
    return found


async def test_name_options_autocomplete_and_take_one_to_a_hundred_characters(world: World) -> None:
    options = _options(world)
    for key in NAME_OPTIONS:
        option = options[key]
        assert option["type"] == 3, key  # a string: the fan types a name, the command receives the model
        assert option.get("autocomplete") is True, key
        assert (option.get("min_length"), option.get("max_length")) == (1, 100), key


async def test_a_misspelt_driver_in_any_command_gets_the_same_question_back(world: World) -> None:
    answers = [
        await world.fan.slash(world.channel, "driver", name="Zzyzx Qwerty"),
        await world.fan.slash(world.channel, "closest", driver="Zzyzx Qwerty"),
        await world.fan.slash(world.channel, "quote", driver="Zzyzx Qwerty"),
    ]
    texts = {answer.response.content for answer in answers}
    assert all(answer.ephemeral for answer in answers)
    assert len(texts) == 1 and "I don't know a driver called “Zzyzx Qwerty”" in texts.pop()


async def test_an_unknown_quoted_race_is_said_not_guessed(world: World) -> None:
    result = await world.fan.slash(world.channel, "quote", race="no such race anywhere")

    assert result.ephemeral
    assert "I have no quotes about a race called “no such race anywhere”" in result.response.content
