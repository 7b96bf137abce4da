"""The /standings builders: within Discord's limits, the cutoff line, live and format notes, paging."""

from __future__ import annotations

from bot.chase import chase_picture
from bot.embeds.standings import (
    PAGE_SIZE,
    after_choice_label,
    not_found_message,
    page_count,
    standings_page_embed,
)
from db.models.standings import StandingsSnapshot
from db.repos.points_formats import format_for
from db.repos.standings import StandingsStore
from db.storage.sqlite import SqliteDatabase
from tests.bot.embeds.limits import assert_within_limits
from tests.db.points_fixtures import sync_final


async def snapshot_of(db: SqliteDatabase, season: int = 2030) -> StandingsSnapshot:
    snapshot = await StandingsStore(db).standings(series="cup", season=season)
    assert snapshot is not None
    return snapshot


async def test_the_first_page_shows_the_leader_the_line_and_the_sourced_format(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    snapshot = await snapshot_of(db)

    embed = standings_page_embed(snapshot, chase_picture(snapshot, format_for("cup", 2030)), 0)

    assert_within_limits(embed)
    text = embed.description or ""
    assert embed.title == "2030 NASCAR Cup Series standings"
    assert "Official points after race 2." in text
    assert "` 1` **Alex Apex** #1 · 90 pts · leader · 1 win · in, 52 above the line" in text
    assert "`17` **Quinn Quarter** #17 · 38 pts (−52) · out, 3 below the line" in text
    lines = text.splitlines()
    assert (
        lines.index("── cutoff: the top 16 make The Chase ──")
        == lines.index(next(line for line in lines if "Parker Pit" in line)) + 1
    )
    assert "The Chase: the top 16 on points after 26 races make it; a win pays 55 [RA26, JAL26]" in text
    assert "press reports, not checked against NASCAR's own page" in text
    assert "Regular season: 2 of 26 races run." in text
    assert "source: nascar-feed" in (embed.footer.text or "") and "official" in (embed.footer.text or "")


async def test_a_win_and_in_season_says_who_is_in_on_a_win(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2019_cup_after5.json", season=2019)
    snapshot = await snapshot_of(db, 2019)

    text = standings_page_embed(snapshot, chase_picture(snapshot, format_for("cup", 2019)), 0).description or ""

    assert "**Quinn Quarter** #17 · 40 pts (−160) · 1 win · in on a win" in text
    assert "**Parker Pit** #16 · 50 pts (−150) · out, 10 below the line" in text
    assert "16 drivers after 26 races, race winners in the top 30 first, then points" in text and "cutoff:" not in text


async def test_a_season_without_a_format_says_no_cutoff_is_shown(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json", season=2010)
    snapshot = await snapshot_of(db, 2010)

    text = standings_page_embed(snapshot, chase_picture(snapshot, None), 0).description or ""

    assert "No championship format on record for 2010: no cutoff shown." in text
    assert " · in" not in text and " · out" not in text


async def test_live_standings_say_they_are_unofficial(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    snapshot = (await snapshot_of(db)).model_copy(update={"official": False})

    embed = standings_page_embed(snapshot, chase_picture(snapshot, format_for("cup", 2030)), 0)

    assert "**Live points during race 2**" in (embed.description or "")
    assert "live, unofficial" in (embed.footer.text or "")


async def test_a_full_field_pages_within_limits_and_the_chart_is_the_attachment(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after2.json")
    snapshot = await snapshot_of(db)
    rows = tuple(
        r.model_copy(update={"position": i + 1, "driver": f"Driver With A Long Name {i}"})
        for i, r in enumerate(snapshot.rows * 3)
    )
    big = snapshot.model_copy(update={"rows": rows})
    picture = chase_picture(big, format_for("cup", 2030))

    assert page_count(big) == 3 == -(-54 // PAGE_SIZE)
    for page in range(3):
        embed = standings_page_embed(big, picture, page, chart="c.png")
        assert_within_limits(embed)
        assert embed.image.url == "attachment://c.png"
    assert "Drivers 41–54 of 54 · page 3/3" in (standings_page_embed(big, picture, 9).footer.text or "")


async def test_not_found_messages_say_what_is_stored_and_that_nothing_is_recomputed(db: SqliteDatabase) -> None:
    store = StandingsStore(db)
    nothing = not_found_message(await store.lookup(series="cup", season=None, after_race=None))
    await sync_final(db, "final_2030_cup_after1.json")
    await sync_final(db, "final_2030_cup_after2.json")
    missing_race = not_found_message(await store.lookup(series="cup", season=2030, after_race=9))
    missing_season = not_found_message(await store.lookup(series="cup", season=2029, after_race=None))

    assert "no official NASCAR Cup Series standings stored yet" in nothing and "never work them out" in nothing
    assert missing_race == "I have no 2030 NASCAR Cup Series standings after race 9; I have them after races 1, 2."
    assert (
        "no official 2029 NASCAR Cup Series standings" in missing_season and "Seasons I have: 2030." in missing_season
    )


async def test_after_choices_name_the_race_when_we_have_it(db: SqliteDatabase) -> None:
    await sync_final(db, "final_2030_cup_after1.json")
    stored = await StandingsStore(db).stored(series="cup", season=2030)

    assert after_choice_label(stored[0]) == "After race 1"
    assert after_choice_label(stored[0].model_copy(update={"race_name": "Synthetic 500", "official": False})) == (
        "After race 1 · Synthetic 500 (live)"
    )
