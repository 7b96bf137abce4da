"""The three chart renderers: a decodable PNG of the right size that actually draws something."""

from __future__ import annotations

import pickle

from bot.charts.render import render_png
from bot.charts.specs import (
    DriverSeasonsChart,
    Line,
    MarginsChart,
    ProgressionChart,
    driver_seasons_chart,
    margins_chart,
    progression_chart,
)
from db.models import NotableFinish, Source
from db.models.careers import DriverSeason
from db.models.standings import Progression, ProgressionLine
from tests.bot.charts.png import assert_chart_png, distinct_colours

SOURCE = Source(key="nascar-feed", title="NASCAR public JSON feed (cf.nascar.com)")


def progression(races: int) -> Progression:
    lines = tuple(
        ProgressionLine(
            feed_driver_id=i, driver=f"Driver {i}", points=tuple((r, r * 40 - i * 7) for r in range(1, races + 1))
        )
        for i in range(10)
    )
    return Progression(series="cup", season=2030, after_races=tuple(range(1, races + 1)), lines=lines, source=SOURCE)


def blank(spec_type: type) -> int:
    """Colours in a chart with no data: what the frame alone draws."""
    if spec_type is ProgressionChart:
        return distinct_colours(render_png(ProgressionChart("t", (), None, None, "s")))
    if spec_type is DriverSeasonsChart:
        return distinct_colours(render_png(DriverSeasonsChart("t", (), "s")))
    return distinct_colours(render_png(MarginsChart("t", (), "s")))


def test_standings_progression_renders_a_chart_png() -> None:
    spec = progression_chart(progression(30), regular_season_races=26)

    assert spec is not None and spec.marker_x == 26.5 and len(spec.lines) == 10
    png = render_png(spec)
    assert_chart_png(png)
    assert distinct_colours(png) > blank(ProgressionChart)  # the lines are drawn, not just the frame


def test_progression_needs_two_stored_races() -> None:
    assert progression_chart(progression(1)) is None


def test_the_regular_season_marker_appears_only_once_the_chase_has_begun() -> None:
    spec = progression_chart(progression(11), regular_season_races=26)

    assert spec is not None and spec.marker_x is None


def test_driver_seasons_renders_wins_and_top_10s() -> None:
    seasons = [
        DriverSeason(series="cup", season=y, starts=36, wins=y % 4, top_5=y % 9, top_10=10 + y % 6)
        for y in range(2014, 2026)
    ]
    spec = driver_seasons_chart("Kyle Larson", seasons)

    assert spec is not None and spec.title == "Kyle Larson: wins and top 10s per season"
    png = render_png(spec)
    assert_chart_png(png)
    assert distinct_colours(png) > blank(DriverSeasonsChart)


def test_no_seasons_no_driver_chart() -> None:
    assert driver_seasons_chart("Nobody", []) is None


def test_one_season_is_no_chart_and_two_cite_their_sources() -> None:
    season = DriverSeason(series="cup", season=2024, starts=1, wins=1, top_5=1, top_10=1)
    later = season.model_copy(update={"season": 2025})

    assert driver_seasons_chart("Kyle Larson", [season]) is None
    spec = driver_seasons_chart("Kyle Larson", [season, later], sources=["nascaR.data", "nascar-feed"])
    assert spec is not None and spec.source == "Races with full results stored: nascaR.data, nascar-feed"


def test_closest_finishes_render_margins_with_their_sources() -> None:
    finishes = [
        NotableFinish(
            id=i,
            rank=i,
            tied=False,
            margin_s=0.001 * i,
            winner="Kyle Larson",
            runner_up="Chris Buescher",
            track="Kansas Speedway",
            series="cup",
            season=2024,
            race_name="AdventHealth 400",
            date_text="May 5, 2024",
            points_race=True,
            note=None,
            sources=(Source(key="W", title="List"), Source(key="NBC25", title="NBC")),
        )
        for i in range(1, 11)
    ]
    spec = margins_chart(finishes)

    assert spec is not None and spec.source == "Sources: NBC25, W"
    assert spec.margins[0].label == "2024 Kansas Speedway: Kyle Larson over Chris Buescher"
    png = render_png(spec)
    assert_chart_png(png)
    assert distinct_colours(png) > blank(MarginsChart)


def test_a_progression_spec_is_plain_data_that_pickles() -> None:
    spec = ProgressionChart("t", (Line("A", ((1, 2), (2, 3))),), None, None, "s")

    assert pickle.loads(pickle.dumps(spec)) == spec
