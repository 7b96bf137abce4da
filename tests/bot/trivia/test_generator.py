"""The question generator over the store: seeded, sourced, plausible, and right."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

from bot.trivia.generator import QuestionGenerator
from bot.trivia.questions import Question
from db.importers.summaries import refresh_all, refresh_races
from db.repos.trivia_facts import TriviaFactStore
from db.storage.sqlite import SqliteDatabase


async def generate(db: SqliteDatabase, count: int, seed: int = 7, **kwargs: object) -> list[Question]:
    return await QuestionGenerator(TriviaFactStore(db), seed=seed).generate(count=count, **kwargs)  # type: ignore[arg-type]


async def rows(db: SqliteDatabase, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
    return [tuple(row) for row in await db.fetch(sql, params)]


async def test_the_same_seed_gives_the_same_questions(db: SqliteDatabase) -> None:
    first = await generate(db, 20, seed=42)
    again = await generate(db, 20, seed=42)
    other = await generate(db, 20, seed=43)
    assert first == again
    assert [q.key for q in first] != [q.key for q in other]


async def test_bundled_data_gives_at_least_thirty_distinct_questions(db: SqliteDatabase) -> None:
    questions = await generate(db, 60)
    assert len({q.key for q in questions}) == len(questions) >= 30
    assert {q.category for q in questions} >= {"closest", "winners", "positions", "quotes"}


async def test_every_question_has_four_distinct_choices_and_a_source(db: SqliteDatabase) -> None:
    for question in await generate(db, 80, seed=3):
        assert len(set(question.choices)) == 4
        assert question.correct_choice in question.choices
        assert question.sources and all(s.key for s in question.sources)


async def test_the_right_answer_is_the_stored_fact(db: SqliteDatabase) -> None:
    checked = 0
    for question in await generate(db, 80, seed=5):
        kind, _, ident = question.key.partition(":")
        if kind == "winner":
            (winner,) = await rows(
                db, "SELECT d.name FROM races r JOIN drivers d ON d.id = r.winner_id WHERE r.id = ?", (int(ident),)
            )
            assert question.correct_choice == winner[0]
        elif kind == "position":
            race_id, finish = map(int, ident.split(":"))
            (driver,) = await rows(
                db,
                """SELECT d.name FROM results x JOIN drivers d ON d.id = x.driver_id
                   WHERE x.race_id = ? AND x.finish = ?""",
                (race_id, finish),
            )
            assert question.correct_choice == driver[0]
        elif kind == "closest-winner":
            (winner,) = await rows(
                db,
                "SELECT d.name FROM notable_finishes n JOIN drivers d ON d.id = n.winner_id WHERE n.id = ?",
                (int(ident),),
            )
            assert question.correct_choice == winner[0]
        elif kind == "closest-margin":
            (margin,) = await rows(db, "SELECT margin_s FROM notable_finishes WHERE id = ?", (int(ident),))
            assert question.correct_choice == f"{margin[0]:.3f} s"
        else:
            continue
        checked += 1
    assert checked >= 20


async def test_wrong_choices_are_plausible(db: SqliteDatabase) -> None:
    drivers = {name for (name,) in await rows(db, "SELECT name FROM drivers")}
    tracks = {name for (name,) in await rows(db, "SELECT name FROM tracks")}
    for question in await generate(db, 150, seed=11):
        kind = question.key.split(":")[0]
        answer = question.correct_choice
        if kind in ("winner", "position", "pole", "quote", "closest-winner", "closest-runner_up"):
            assert set(question.choices) <= drivers, question
        elif kind == "closest-track":
            assert set(question.choices) <= tracks, question
        elif kind in ("closest-margin", "margin"):
            values = [float(c.removesuffix(" s")) for c in question.choices]
            assert all(
                float(answer.removesuffix(" s")) / 10 <= v <= float(answer.removesuffix(" s")) * 10 for v in values
            )
        elif kind == "closest-year":
            assert all(abs(int(c) - int(answer)) <= 6 for c in question.choices)
        elif kind == "finish-of":
            assert all(abs(int(c[:-2]) - int(answer[:-2])) <= 6 for c in question.choices)


async def test_difficulty_filter_only_returns_that_difficulty(db: SqliteDatabase) -> None:
    hard = await generate(db, 5, difficulty="hard")
    assert hard and all(q.difficulty == "hard" for q in hard)


async def test_facts_without_a_source_give_no_questions(blank_db: SqliteDatabase) -> None:
    await seed_history(blank_db, races=3, field=10, source="")
    assert await generate(blank_db, 10) == []

    async with blank_db.data_transaction():
        await blank_db.execute("UPDATE races SET source = 'nascaR.data' WHERE id = 1")
        await refresh_races(blank_db, [1])
    questions = await generate(blank_db, 10)
    assert questions
    assert {q.key.split(":")[1] for q in questions if q.key.startswith(("winner", "position", "finish-of"))} == {"1"}


async def test_a_history_sized_store_gives_thousands_of_distinct_questions(blank_db: SqliteDatabase) -> None:
    await seed_history(blank_db, races=120, field=36, source="nascaR.data")
    generator = QuestionGenerator(TriviaFactStore(blank_db), seed=1, time_budget_s=None)
    questions = await generator.generate(count=1200, categories=("winners", "positions"))
    assert len({q.key for q in questions}) == 1200


async def seed_history(db: SqliteDatabase, *, races: int, field: int, source: str) -> None:
    """A small made-up history: 60 drivers, one track, `races` races of `field` finishers each."""
    rng = random.Random(1)
    async with db.data_transaction():  # race data: the data version moves and the summaries follow
        await db.execute("INSERT INTO tracks (key, name) VALUES ('oval', 'Test Oval'), ('road', 'Test Road Course')")
        await db.execute_many(
            "INSERT INTO drivers (name, name_norm) VALUES (?, ?)", [(f"Driver {n}", f"driver {n}") for n in range(60)]
        )
        for race in range(1, races + 1):
            finishers = rng.sample(range(1, 61), field)
            await db.execute(
                """INSERT INTO races (id, series, season, race_number, name, track_id, race_date, status,
                                      winner_id, source, field_sources, updated_at)
                   VALUES (?, 'cup', ?, ?, ?, 1, ?, 'official', ?, ?, ?, '2025-01-01T00:00:00+00:00')""",
                (
                    race,
                    1980 + race // 36,
                    race % 36 + 1,
                    f"Race {race}",
                    f"{1980 + race // 36}-06-01",
                    finishers[0],
                    source,
                    json.dumps({}),
                ),
            )
            await db.execute_many(
                "INSERT INTO results (race_id, finish, car_number, driver_id) VALUES (?, ?, ?, ?)",
                [(race, finish, str(finish), driver) for finish, driver in enumerate(finishers, start=1)],
            )
        await refresh_all(db)
