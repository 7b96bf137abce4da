"""Console input: a value runs up to the next `name:`, quotes still work, and a final `?` asks about an option."""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands

from bot.console.parse import InputError, parse_invocation
from tests.conftest import World


@pytest.fixture
def tree(world: World) -> app_commands.CommandTree[Any]:
    return world.bot.tree


async def test_an_unquoted_value_runs_up_to_the_next_option(tree: app_commands.CommandTree[Any]) -> None:
    invocation = parse_invocation("/result track:the monster mile season:2024", tree)
    assert invocation.options == {"track": "the monster mile", "season": 2024}


async def test_a_spaced_value_at_the_end_of_the_line_is_kept_whole(tree: app_commands.CommandTree[Any]) -> None:
    assert parse_invocation("/quote driver:Kyle Larson", tree).options == {"driver": "Kyle Larson"}
    assert parse_invocation("/quote search:last lap driver:Kyle Larson", tree).options == {
        "search": "last lap",
        "driver": "Kyle Larson",
    }


async def test_a_space_after_the_colon_is_allowed(tree: app_commands.CommandTree[Any]) -> None:
    assert parse_invocation("/result track: kansas", tree).options == {"track": "kansas"}


async def test_quotes_keep_an_option_name_or_a_question_mark_inside_a_value(
    tree: app_commands.CommandTree[Any],
) -> None:
    invocation = parse_invocation('/quote search:"who won? driver:me"', tree)
    assert invocation.options == {"search": "who won? driver:me"}
    assert invocation.autocomplete is None


async def test_a_misspelt_option_is_named_not_swallowed_into_a_value(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match=r"no option 'sesaon'.*track, season, series, race"):
        parse_invocation("/result track:kansas sesaon:2024", tree)
    with pytest.raises(InputError, match="no option 'trak'"):
        parse_invocation("/result trak:kansas", tree)


async def test_a_link_in_a_value_is_not_taken_for_an_option(tree: app_commands.CommandTree[Any]) -> None:
    invocation = parse_invocation("/quote search:see https://example.org/x", tree)
    assert invocation.options == {"search": "see https://example.org/x"}


async def test_an_option_given_twice_is_refused(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match="track is given twice"):
        parse_invocation("/result track:kansas track:dover", tree)


async def test_an_empty_value_says_how_to_ask_about_it(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match=r"nothing after 'season:'.*season:\?"):
        parse_invocation("/result track:kansas season:", tree)


async def test_a_final_question_mark_asks_about_a_spaced_value(tree: app_commands.CommandTree[Any]) -> None:
    invocation = parse_invocation("/result track:the monster mi? season:2024", tree)
    assert invocation.autocomplete == ("track", "the monster mi")
    assert invocation.options == {"season": 2024}


async def test_a_bare_question_mark_asks_about_the_first_free_option(tree: app_commands.CommandTree[Any]) -> None:
    assert parse_invocation("/closest ?", tree).autocomplete == ("count", "")
    assert parse_invocation("/alerts setup ?", tree).autocomplete == ("channel", "")


async def test_only_one_question_at_a_time(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match="one option at a time"):
        parse_invocation("/result track:kan? season:?", tree)


async def test_choices_are_matched_by_name_in_any_case(tree: app_commands.CommandTree[Any]) -> None:
    assert parse_invocation("/next series:Xfinity", tree).options == {"series": "xfinity"}
    with pytest.raises(InputError, match="'nascar' is not one of cup, xfinity, truck"):
        parse_invocation("/next series:nascar", tree)


async def test_numbers_outside_their_range_are_refused_with_the_range(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match="count: 30 is out of range; it takes a number from 1 to 25"):
        parse_invocation("/closest count:30", tree)


async def test_booleans_take_yes_and_no(tree: app_commands.CommandTree[Any]) -> None:
    assert parse_invocation("/triviaset reveal_answer:no", tree).options == {"reveal_answer": False}
    with pytest.raises(InputError, match="not true or false"):
        parse_invocation("/triviaset reveal_answer:maybe", tree)


async def test_an_unclosed_quote_is_explained(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match='" quote is not closed'):
        parse_invocation('/result track:"kansas', tree)


async def test_command_names_are_matched_in_any_case(tree: app_commands.CommandTree[Any]) -> None:
    assert parse_invocation("/Trivia Play questions:2", tree).name == "trivia play"


async def test_a_missing_required_option_is_named(tree: app_commands.CommandTree[Any]) -> None:
    with pytest.raises(InputError, match=r"/result needs track:… \(track:\? says what it takes\)"):
        parse_invocation("/result season:2024", tree)
    assert parse_invocation("/result season:?", tree).autocomplete == ("season", "")  # asking needs no track
