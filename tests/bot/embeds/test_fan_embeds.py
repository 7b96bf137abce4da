"""Builders for the fan commands stay inside Discord's limits, even with oversized data."""

from __future__ import annotations

import datetime as dt

from bot.embeds.about import about_embed
from bot.embeds.closest import closest_embed, rank_label
from bot.embeds.drivers import driver_embed
from bot.embeds.field import PAGE_SIZE, field_page_embed, page_count
from bot.embeds.quotes import quote_embed, quote_list_embed
from bot.embeds.results import race_facts_embed, result_embed, stages_embed
from cogs._lookup import choices
from db.models import (
    Driver,
    Match,
    NotableFinish,
    Quote,
    RaceResult,
    RaceSummary,
    ResultRow,
    Source,
    StageResult,
    Track,
)
from db.models.careers import Career, CareerResult, SeriesRecord
from db.models.coverage import Coverage
from db.models.race_facts import RaceFacts
from tests.bot.embeds.limits import assert_within_limits

LONG = "W" * 300
NOW = dt.datetime(2024, 5, 6, tzinfo=dt.UTC)


def source(key: str = "S") -> Source:
    return Source(key=key, title=LONG, url="https://example.com/" + "x" * 200, publisher=LONG[:80])


def summary(**changes: object) -> RaceSummary:
    track = Track(id=1, key="t", name="Long Track " + LONG[:80])
    base = dict(
        id=1,
        series="cup",
        season=2024,
        race_number=12,
        name="Race " + LONG[:200],
        track=track,
        start_utc=NOW,
        race_date=NOW.date(),
        status="official",
        winner="Winner " + LONG[:60],
        has_results=True,
        source=source("RACE"),
        updated_at=NOW,
    )
    base.update(changes)
    return RaceSummary(**base)  # type: ignore[arg-type]


def big_result(cars: int = 43) -> RaceResult:
    rows = tuple(
        ResultRow(
            finish=i,
            start=i,
            car_number=str(i),
            driver=f"Driver {i} " + LONG[:80],
            team="Team " + LONG[:80],
            make="Make " + LONG[:30],
            laps=200 - i // 10,
            laps_led=i,
            status="running" if i < 35 else "accident",
            points=40,
            rating=None,
        )
        for i in range(1, cars + 1)
    )
    stages = tuple(
        StageResult(stage=s, position=p, driver=f"Driver {p} " + LONG[:80], car_number=str(p))
        for s in (1, 2, 3)
        for p in range(1, 11)
    )
    return RaceResult(
        race=summary(),
        actual_laps=200,
        actual_miles=300.0,
        stage_ends=(60, 120, 200),
        cautions=7,
        caution_laps=43,
        lead_changes=28,
        leaders=10,
        margin_text="0.001",
        margin_s=0.001,
        average_speed_mph=120.0,
        radio=None,
        pole=None,
        notes=tuple(LONG for _ in range(5)),
        corrected=False,
        results=rows,
        stages=stages,
        field_sources={f"figure{i}": tuple(source(f"K{i}") for _ in range(3)) for i in range(30)},
        quote_count=3,
    )


def quote(text: str = LONG * 5, **changes: object) -> Quote:
    base = dict(
        id=1,
        text=text,
        speaker="Speaker " + LONG[:80],
        context=LONG * 5,
        said_to=LONG,
        said_on=None,
        race_name="Race " + LONG[:100],
        race_season=2024,
        race_date=NOW.date(),
        source=source("Q"),
    )
    base.update(changes)
    return Quote(**base)  # type: ignore[arg-type]


def finish(rank: int | None, tied: bool = False, runner_up: str | None = "Runner " + LONG[:60]) -> NotableFinish:
    return NotableFinish(
        id=rank or 99,
        rank=rank,
        tied=tied,
        margin_s=0.001 * (rank or 20),
        winner="Winner " + LONG[:60],
        runner_up=runner_up,
        track="Track " + LONG[:60],
        series="cup",
        season=2001,
        race_name="Race " + LONG[:80],
        date_text="March 11, 2001",
        points_race=True,
        note=None,
        sources=tuple(source(f"F{i}") for i in range(5)),
    )


def test_a_43_car_field_pages_fit_and_cover_every_car() -> None:
    result = big_result(43)

    pages = [field_page_embed(result, page) for page in range(page_count(result))]

    assert len(pages) == 3 == -(-43 // PAGE_SIZE)
    for embed in pages:
        assert_within_limits(embed)
    text = "\n".join(e.description or "" for e in pages)
    assert all(f"Driver {i} " in text for i in range(1, 44))
    assert "page 3/3" in (pages[-1].footer.text or "")


def test_field_page_is_clamped() -> None:
    result = big_result(43)

    assert field_page_embed(result, 99).footer.text == field_page_embed(result, 2).footer.text
    assert field_page_embed(result, -5).footer.text == field_page_embed(result, 0).footer.text


def test_result_and_stages_embeds_fit_with_oversized_data() -> None:
    assert_within_limits(result_embed(big_result(43)))
    assert_within_limits(stages_embed(big_result(43)))


def test_race_facts_embed_says_full_results_are_not_stored() -> None:
    facts = RaceFacts(
        race=summary(has_results=False, winner="Ross Chastain"),
        actual_laps=267,
        actual_miles=400.5,
        winner_sources=(Source(key="nascaR.data", title="nascaR.data"),),
        laps_sources=(),
    )

    embed = race_facts_embed(facts)

    assert_within_limits(embed)
    assert "Ross Chastain** [nascaR.data]" in (embed.description or "")
    assert "not stored" in (embed.description or "")


def test_quote_embeds_fit_even_with_many_long_quotes() -> None:
    assert_within_limits(quote_embed(quote()))
    many = [quote(id=i) for i in range(100)]
    embed = quote_list_embed("Quotes " + LONG, many)
    assert_within_limits(embed)
    assert "more with /quote" in (embed.footer.text or "")


def test_closest_embed_marks_ties_and_unranked_rows_and_fits() -> None:
    finishes = [finish(1), finish(2, tied=True), finish(2, tied=True), finish(None, runner_up=None)]
    finishes += [finish(None) for _ in range(21)]

    embed = closest_embed(finishes, scope=" at " + LONG, requested=25)

    assert_within_limits(embed)
    assert [rank_label(f) for f in finishes[:4]] == ["1", "T2", "T2", "–"]
    assert "runner-up not in our sources" in (embed.description or "")
    assert "ranking stops" in (embed.footer.text or "")


def test_driver_embed_fits_with_long_history() -> None:
    latest = tuple(
        CareerResult(
            race_id=i,
            season=2024,
            race_name="Race " + LONG[:150],
            race_date=NOW.date(),
            track="Track " + LONG[:80],
            finish=i,
            car_number="5",
            status="accident",
            laps_led=3,
        )
        for i in range(1, 30)
    )
    # Careers are per series now (SeriesRecord); the figures are the same.
    record = SeriesRecord(
        series="cup",
        starts=500,
        wins=30,
        top5=100,
        top10=200,
        poles_official=5,
        poles_from_start=15,
        poles_unknown=3,
        laps_led=9000,
        laps_led_unknown=2,
        best_finish=latest[0],
        wins_on_record=31,
        first_season=2014,
        last_season=2024,
        latest=latest,
        result_sources=tuple(source(f"R{i}") for i in range(40)),
        pole_sources=tuple(source(f"P{i}") for i in range(40)),
        sources=tuple(source(f"R{i}") for i in range(40)),
    )
    career = Career(
        driver=Driver(id=1, name="Kyle Larson", aliases=tuple(f"Alias {i}" for i in range(40))),
        records=(record, record.model_copy(update={"series": "xfinity"})),
    )

    embed = driver_embed(career, [finish(i) for i in range(1, 6)], quote())

    assert_within_limits(embed)
    assert "not a full career" in (embed.description or "")


def test_driver_embed_without_results_says_so() -> None:
    career = Career(driver=Driver(id=2, name="New Driver"), records=())

    embed = driver_embed(career, [], None)

    assert "No full race results are stored" in (embed.description or "")
    assert_within_limits(embed)


def test_about_embed_fits_with_hundreds_of_sources() -> None:
    coverage = Coverage(
        races=100_000,
        races_with_results=5_000,
        results=200_000,
        quotes=10_000,
        notable_finishes=16,
        drivers=3_000,
        tracks=200,
        seasons=tuple(range(1949, 2027)),
        seasons_with_results=tuple(range(1949, 2025)),
        last_load=NOW,
        last_race_update=NOW,
        sources=tuple(source(f"S{i}") for i in range(500)),
    )

    embed = about_embed(coverage, version="0.1.0")

    assert_within_limits(embed)
    assert "1949–2026 (78)" in "\n".join(f.value or "" for f in embed.fields)


def test_autocomplete_choices_respect_discord_limits() -> None:
    matches = [Match(id=i, label=LONG, score=1.0) for i in range(60)]

    found = choices(matches)

    assert len(found) == 25
    assert all(len(c.name) <= 100 and len(str(c.value)) <= 100 for c in found)
    assert len(summary().label) <= 100
