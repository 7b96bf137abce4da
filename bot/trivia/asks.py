"""One question maker per category: read one sourced fact, phrase it, say how hard it is, name its decoys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.trivia.choices import margin_text, ordinal, pick_wrong, race_title, wrong_positions, wrong_years
from bot.trivia.draw import Draw, WrongChoices
from bot.trivia.questions import Category, Question

QUOTE_LENGTH = 300


async def ask_closest(gen: Draw, index: int) -> Question | None:
    finish = await gen.facts.closest_at(index=index)
    if finish is None or not finish.sources:
        return None
    margin = margin_text(finish.margin_s)
    over = f" over {finish.runner_up}" if finish.runner_up else ""
    rank = f" (ranked {'tied ' if finish.tied else ''}#{finish.rank} by the sources)" if finish.rank else ""
    fact = (
        f"{finish.winner} beat {finish.runner_up or 'the runner-up'} by {margin} in the {finish.season} "
        f"{finish.race_name} at {finish.track} ({finish.date_text}){rank}."
    )
    kind = gen.rng.choice(["winner", "track", "margin", "year"] + (["runner_up"] if finish.runner_up else []))
    famous = -1 if finish.rank == 1 else 0  # the closest of all is the one everybody remembers
    race = f"the {finish.season} {finish.race_name} at {finish.track}"
    prompt: str
    answer: str
    wrong: WrongChoices
    if kind == "winner":
        prompt, answer = f"Who won {race} by just {margin}{over}?", finish.winner
        difficulty = await gen.score(famous, finish.season, finish.winner)
        wrong = lambda: gen.era_drivers(finish.season, answer=finish.winner, exclude=[finish.runner_up or ""])  # noqa: E731
    elif kind == "runner_up" and finish.runner_up:
        runner_up = finish.runner_up
        prompt, answer = f"Who finished second, {margin} behind {finish.winner}, in {race}?", runner_up
        difficulty = await gen.score(famous + 1, finish.season, runner_up)
        wrong = lambda: gen.era_drivers(finish.season, answer=runner_up, exclude=[finish.winner])  # noqa: E731
    elif kind == "track":
        prompt = f"Where did {finish.winner} win the {finish.season} {finish.race_name} by {margin}{over}?"
        answer = finish.track
        difficulty = await gen.score(famous + 1, finish.season)

        async def wrong() -> list[str]:
            return pick_wrong(gen.rng, await gen.facts.track_names(series=finish.series), answer=finish.track)

    elif kind == "margin":
        prompt, answer = f"By how much did {finish.winner} win {race}{over}?", margin
        difficulty = await gen.score(famous + 2, finish.season)
        wrong = lambda: gen.margin_decoys(finish.margin_s)  # noqa: E731
    else:
        prompt = f"In which year did {finish.winner} win the {finish.race_name} at {finish.track} by {margin}{over}?"
        answer = str(finish.season)
        difficulty = await gen.score(famous + 1, finish.season)
        wrong = lambda: wrong_years(gen.rng, finish.season, last=(gen.latest or finish.season) + 1)  # noqa: E731
    return await gen.build(
        key=f"closest-{kind}:{finish.id}",
        category="closest",
        prompt=prompt,
        answer=answer,
        wrong=wrong,
        difficulty=difficulty,
        fact=fact,
        sources=finish.sources,
    )


async def ask_winner(gen: Draw, index: int) -> Question | None:
    race = await gen.facts.race_at(figure="winner", index=index)
    if race is None or race.winner is None:
        return None
    winner = race.winner
    return await gen.build(
        key=f"winner:{race.race_id}",
        category="winners",
        prompt=f"Who won {race_title(race)}?",
        answer=winner,
        wrong=lambda: gen.race_drivers(race.race_id, race.season, answer=winner),
        difficulty=await gen.score(0, race.season, winner),
        fact=f"{winner} won {race_title(race)}.",
        sources=race.sources,
    )


async def ask_position(gen: Draw, index: int) -> Question | None:
    race = await gen.facts.race_at(figure="results", index=index)
    if race is None:
        return None
    field = await gen.facts.race_field(race_id=race.race_id)
    if len(field) < 5:
        return None
    entry = gen.rng.choice(field[1:])  # the winner has a category of its own
    place = ordinal(entry.finish)
    fact = f"{entry.driver} finished {place} of {len(field)} in {race_title(race)}."
    difficulty = await gen.score(1 if entry.finish <= 3 else 2 if entry.finish <= 10 else 3, race.season)
    if gen.rng.random() < 0.5:
        neighbours = [e.driver for e in field if abs(e.finish - entry.finish) <= 6]
        return await gen.build(
            key=f"position:{race.race_id}:{entry.finish}",
            category="positions",
            prompt=f"Who finished {place} in {race_title(race)}?",
            answer=entry.driver,
            wrong=lambda: pick_wrong(gen.rng, neighbours, answer=entry.driver),
            difficulty=difficulty,
            fact=fact,
            sources=race.sources,
        )
    return await gen.build(
        key=f"finish-of:{race.race_id}:{entry.finish}",
        category="positions",
        prompt=f"Where did {entry.driver} finish in {race_title(race)}?",
        answer=place,
        wrong=lambda: wrong_positions(gen.rng, entry.finish, len(field)),
        difficulty=difficulty,
        fact=fact,
        sources=race.sources,
    )


async def ask_margin(gen: Draw, index: int) -> Question | None:
    race = await gen.facts.race_at(figure="margin", index=index)
    if race is None or race.margin_s is None or race.winner is None:
        return None
    margin = race.margin_s
    return await gen.build(
        key=f"margin:{race.race_id}",
        category="margins",
        prompt=f"By how much did {race.winner} win {race_title(race)}?",
        answer=margin_text(margin),
        wrong=lambda: gen.margin_decoys(margin),
        difficulty=await gen.score(2, race.season),
        fact=f"{race.winner} won {race_title(race)} by {margin_text(margin)}.",
        sources=race.sources,
    )


async def ask_pole(gen: Draw, index: int) -> Question | None:
    race = await gen.facts.race_at(figure="pole", index=index)
    if race is None or race.pole is None:
        return None
    pole = race.pole
    return await gen.build(
        key=f"pole:{race.race_id}",
        category="poles",
        prompt=f"Who started from pole in {race_title(race)}?",
        answer=pole,
        wrong=lambda: gen.race_drivers(race.race_id, race.season, answer=pole),
        difficulty=await gen.score(1, race.season, pole),
        fact=f"{pole} won the pole for {race_title(race)}.",
        sources=race.sources,
    )


async def ask_quote(gen: Draw, index: int) -> Question | None:
    quote = await gen.facts.quote_at(index=index)
    if quote is None:
        return None
    race_id = await gen.facts.quote_race_id(quote_id=quote.id)
    season = quote.race_season or (quote.said_on.year if quote.said_on else None) or gen.latest or 2024
    about = f" after the {quote.race_season} {quote.race_name}" if quote.race_name else ""
    text = quote.text if len(quote.text) <= QUOTE_LENGTH else quote.text[: QUOTE_LENGTH - 1].rstrip() + "…"
    context = f" ({quote.context})" if quote.context else ""
    said_to = f", to {quote.said_to}" if quote.said_to else ""

    async def wrong() -> list[str]:
        if race_id is not None:
            return await gen.race_drivers(race_id, season, answer=quote.speaker)
        return await gen.era_drivers(season, answer=quote.speaker)

    return await gen.build(
        key=f"quote:{quote.id}",
        category="quotes",
        prompt=f"Who said this{about}?\n“{text}”",
        answer=quote.speaker,
        wrong=wrong,
        difficulty=await gen.score(1, season),
        fact=f"{quote.speaker} said it{about}{said_to}{context}.",
        sources=(quote.source,),
    )


MAKERS: dict[Category, Callable[[Draw, int], Awaitable[Question | None]]] = {
    "closest": ask_closest,
    "winners": ask_winner,
    "positions": ask_position,
    "margins": ask_margin,
    "poles": ask_pole,
    "quotes": ask_quote,
}
