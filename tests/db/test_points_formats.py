"""The bundled championship formats: valid, sourced, and the 2026 Chase as announced."""

from __future__ import annotations

import pytest

from db.repos.points_formats import PointsFormatError, bundled_formats, format_for, parse_formats


def test_every_bundled_format_is_valid_and_cites_a_source_with_an_address() -> None:
    formats = bundled_formats()

    assert formats
    for fmt in formats:
        assert fmt.sources and all(s.url and s.url.startswith("https://") for s in fmt.sources)


def test_2026_cup_is_the_chase_top_16_on_points_a_win_worth_55_unverified() -> None:
    fmt = format_for("cup", 2026)

    assert fmt is not None
    assert (fmt.name, fmt.field, fmt.entry, fmt.win_points, fmt.regular_season_races) == (
        "The Chase",
        16,
        "points",
        55,
        26,
    )
    assert not fmt.eliminations and not fmt.verified  # press reports, not NASCAR.com's own page
    assert format_for("cup", 2031) == fmt  # in force until a later format is added


def test_2017_to_2025_cup_is_win_and_in_playoffs_with_a_40_point_win() -> None:
    for season in (2017, 2020, 2025):
        fmt = format_for("cup", season)
        assert fmt is not None and (fmt.name, fmt.entry, fmt.win_points) == ("Playoffs", "wins_then_points", 40)


def test_the_2026_chase_fields_of_the_other_national_series() -> None:
    xfinity, truck = format_for("xfinity", 2026), format_for("truck", 2026)

    assert xfinity is not None and (xfinity.field, xfinity.postseason_races) == (12, 9)
    assert truck is not None and (truck.field, truck.postseason_races) == (10, 7)


def test_a_season_without_a_sourced_format_has_none() -> None:
    assert format_for("cup", 2010) is None
    assert format_for("xfinity", 2020) is None


def test_a_format_citing_an_unlisted_source_is_refused() -> None:
    text = """
sources: []
formats:
- {series: cup, first_season: 2026, name: X, field: 16, entry: points, eliminations: false, verified: true,
   sources: [NOPE]}
"""
    with pytest.raises(PointsFormatError, match="unknown sources"):
        parse_formats(text)


def test_overlapping_formats_are_refused() -> None:
    text = """
sources: [{key: S, title: t, url: "https://example.test"}]
formats:
- {series: cup, first_season: 2020, name: A, field: 16, entry: points, eliminations: false, verified: true,
   sources: [S]}
- {series: cup, first_season: 2024, name: B, field: 16, entry: points, eliminations: false, verified: true,
   sources: [S]}
"""
    with pytest.raises(PointsFormatError, match="overlap"):
        parse_formats(text)
