"""/result: the race embed. A figure the store does not hold is said to be not recorded, never shown as 0."""

from __future__ import annotations

import discord

from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    FIELD_VALUE,
    FOOTER_TEXT,
    NOT_RECORDED,
    car_text,
    cite,
    clip,
    join_within,
    race_day,
    source_lines,
    status_text,
    timestamp,
)
from db.models import SERIES_NAMES, RaceResult, RaceSummary, ResultRow, Source
from db.models.race_facts import RaceFacts, TrackResult

SHORT_SERIES: dict[str, str] = {"cup": "Cup", "xfinity": "Xfinity", "truck": "Truck"}


def status_label(race: RaceSummary) -> str:
    """Which rule of the official policy (db.models.OFFICIAL_POLICY) applies to this race."""
    series = SHORT_SERIES[race.series]
    basis = race.official_basis
    if basis == "feed":
        return "Official (NASCAR's feed: inspection complete)"
    if basis == "source":
        return "Official (as published by its sources)"
    if basis == "next_race":
        return f"Official: the next {series} race has been run (NASCAR's feed never marked inspection complete)"
    if basis == "pending":
        return f"Provisional: can change until NASCAR marks inspection complete or the next {series} race is run"
    return "Scheduled"


def track_phrase(race: RaceSummary, then: str | None = None, then_sources: tuple[Source, ...] = ()) -> str:
    """The track as named today, and as named at the time when a source says it was called otherwise."""
    called = then or race.track_called
    if called and called != race.track.name:
        return f"**{race.track.name}** (then {called}{cite(then_sources)})"
    return f"**{race.track.name}**"


def margin_phrase(result: RaceResult) -> tuple[str, tuple[Source, ...]] | None:
    """The margin and its sources: the feed's or a source's for the race, else the closest-finishes list's."""
    if result.margin_s is not None:
        return f"{result.margin_s:.3f} s".replace("0.000 s", "< 0.001 s"), result.sources_for("margin")
    if result.margin_text:
        text = "under caution" if result.margin_text.lower() == "caution" else result.margin_text
        return text, result.sources_for("margin")
    if result.closest is not None:
        return f"{result.closest.margin_s:.3f} s", result.closest.sources
    return None


def gap_or_status(row: ResultRow, winner: ResultRow) -> str:
    if row.status.lower() != "running":
        return status_text(row.status)
    if row.laps is None or winner.laps is None:
        return "running"  # without laps we cannot say who was on the lead lap
    if row.laps < winner.laps:
        down = winner.laps - row.laps
        return f"−{down} lap{'s' if down != 1 else ''}"
    return "lead lap"


def result_line(row: ResultRow, winner: ResultRow) -> str:
    led = f", led {row.laps_led}" if row.laps_led else ""
    car = car_text(row.car_number)
    return f"`{row.finish:>2}` **{row.driver}**{' ' + car if car else ''} · {gap_or_status(row, winner)}{led}"


def closest_line(result: RaceResult) -> str | None:
    finish = result.closest
    if finish is None:
        return None
    where = f"the closest finishes in {SERIES_NAMES[finish.series]} history"
    if finish.rank is None:
        return f"📸 Listed among {where} (the sources give it no rank){cite(finish.sources)}"
    rank = f"T{finish.rank}" if finish.tied else str(finish.rank)
    return f"📸 No. {rank} among {where} since electronic scoring (1993), as ranked{cite(finish.sources)}"


def winner_line(result: RaceResult) -> str | None:
    winner = result.winner
    if winner is None:
        return None
    team = " ".join(x for x in (winner.team, winner.make) if x)
    car = car_text(winner.car_number)
    detail = ", ".join(x for x in (car, team) if x)
    won = f"🏁 **{winner.driver}**{f' ({detail})' if detail else ''} won"
    runner_up = result.results[1] if len(result.results) > 1 else None
    if runner_up is None:
        return won + "."
    margin = margin_phrase(result)
    if margin is None:
        return f"{won} ahead of {runner_up.driver} (margin {NOT_RECORDED})."
    return f"{won} by **{margin[0]}** over {runner_up.driver}{cite(margin[1])}."


def pole_value(result: RaceResult) -> tuple[str, tuple[Source, ...]]:
    pole = result.pole
    if pole is None:
        why = "no start positions in the source" if not result.starts_recorded else "no single car listed as 1st"
        return f"{NOT_RECORDED} ({why})", ()
    if pole.basis == "start":
        return f"**{pole.driver}** (started 1st)", result.sources_for("results")
    detail = ", ".join(
        x
        for x in (
            f"{pole.time_s:.3f} s" if pole.time_s else None,
            f"{pole.speed_mph:.3f} mph" if pole.speed_mph else None,
        )
        if x
    )
    return f"**{pole.driver}**" + (f"\n{detail}" if detail else ""), result.sources_for("pole")


def result_embed(result: RaceResult) -> discord.Embed:
    race = result.race
    when = timestamp(race.start_utc, "D") if race.start_utc else race_day(race)
    number = f"race {race.race_number} of the {race.season} season" if race.race_number else "non-points race"
    then = result.track_then
    track = track_phrase(race, then.name if then else None, (then.source,) if then and then.source else ())
    lines = [f"{track} · {when} · {number}"]
    for line in (winner_line(result), closest_line(result)):
        if line:
            lines.append(line)
    for note in result.notes[:3]:
        lines.append(f"• {note}")
    embed = discord.Embed(
        title=clip(f"{race.season} {race.name}", 256),
        description=clip("\n".join(lines), EMBED_DESCRIPTION),
        colour=BRAND_COLOUR,
    )
    winner = result.winner
    if winner is not None:
        top = [result_line(row, winner) for row in result.results[:10]]
        embed.add_field(
            name=f"Top 10{cite(result.sources_for('results'))}", value=join_within(top, FIELD_VALUE), inline=False
        )
    stage_winners = [s for s in result.stages if s.position == 1]
    if stage_winners:
        text = "\n".join(f"Stage {s.stage}: **{s.driver}**" for s in stage_winners)
        embed.add_field(name=f"Stages{cite(result.sources_for('stages'))}", value=text, inline=True)
    if result.results:
        value, sources = pole_value(result)
        embed.add_field(name=f"Pole{cite(sources)}", value=value, inline=True)
    if result.cautions is not None:
        laps = f" for {result.caution_laps} laps" if result.caution_laps is not None else ""
        embed.add_field(
            name=f"Cautions{cite(result.sources_for('cautions'))}", value=f"{result.cautions}{laps}", inline=True
        )
    if result.lead_changes is not None:
        among = f" among {result.leaders} drivers" if result.leaders else ""
        embed.add_field(
            name=f"Lead changes{cite(result.sources_for('lead_changes'))}",
            value=f"{result.lead_changes}{among}",
            inline=True,
        )
    if result.actual_laps is not None:
        scheduled = f" of {race.scheduled_laps} scheduled" if race.scheduled_laps else ""
        miles = f" ({result.actual_miles:g} mi)" if result.actual_miles else ""
        embed.add_field(name="Laps", value=f"{result.actual_laps}{scheduled}{miles}", inline=True)
    cited = {s.key: s for figure in result.field_sources.values() for s in figure}
    extra = (*(result.closest.sources if result.closest else ()), *((then.source,) if then and then.source else ()))
    for source in extra:
        cited.setdefault(source.key, source)
    cited.setdefault(race.source.key, race.source)
    embed.add_field(name="Sources", value=join_within(source_lines(cited.values()), FIELD_VALUE), inline=False)
    status = status_label(race) + (" · corrected after first publication" if result.corrected else "")
    embed.set_footer(text=clip(f"{status} · data updated {race.updated_at:%Y-%m-%d}", FOOTER_TEXT))
    return embed


def stages_embed(result: RaceResult) -> discord.Embed:
    """Each stage's top finishers as the store holds them (stage points positions)."""
    race = result.race
    embed = discord.Embed(title=clip(f"{race.season} {race.name} — stages", 256), colour=BRAND_COLOUR)
    numbers = sorted({s.stage for s in result.stages})
    if not numbers:
        embed.description = "No stage results are stored for this race."
    for number in numbers[: EMBED_FIELDS - 1]:
        rows = [s for s in result.stages if s.stage == number][:10]
        end = result.stage_ends[number - 1] if len(result.stage_ends) >= number else None
        lines = [f"`{s.position:>2}` **{s.driver}**" + (f" #{s.car_number}" if s.car_number else "") for s in rows]
        embed.add_field(
            name=f"Stage {number}" + (f" (ended lap {end})" if end else ""),
            value=join_within(lines, FIELD_VALUE),
            inline=True,
        )
    sources = result.sources_for("stages") or (race.source,)
    embed.add_field(name="Sources", value=join_within(source_lines(sources), FIELD_VALUE), inline=False)
    embed.set_footer(text=clip(f"{status_label(race)} · data updated {race.updated_at:%Y-%m-%d}", FOOTER_TEXT))
    return embed


def race_facts_embed(facts: RaceFacts) -> discord.Embed:
    """A race whose full results are not stored: only what we know, each with its source."""
    race = facts.race
    when = timestamp(race.start_utc, "F") if race.start_utc else race_day(race)
    number = f"race {race.race_number} of the {race.season} season" if race.race_number else "non-points race"
    lines = [f"{track_phrase(race)} · {when} · {number}"]
    if race.winner:
        lines.append(f"🏁 Winner: **{race.winner}**{cite(facts.winner_sources)}")
    elif race.status == "scheduled":
        lines.append("This race has not been run yet (or its result has not reached us).")
    if facts.actual_laps is not None:
        miles = f" ({facts.actual_miles:g} mi)" if facts.actual_miles else ""
        lines.append(f"Laps run: {facts.actual_laps}{miles}{cite(facts.laps_sources)}")
    lines.append("_Full results are not stored for this race, so there is no finishing order to show._")
    embed = discord.Embed(
        title=clip(f"{race.season} {race.name}", 256),
        description=clip("\n".join(lines), EMBED_DESCRIPTION),
        colour=BRAND_COLOUR,
    )
    cited = {s.key: s for s in (*facts.winner_sources, *facts.laps_sources)}
    cited.setdefault(race.source.key, race.source)
    embed.add_field(name="Sources", value=join_within(source_lines(cited.values()), FIELD_VALUE), inline=False)
    embed.set_footer(text=clip(f"{status_label(race)} · data updated {race.updated_at:%Y-%m-%d}", FOOTER_TEXT))
    return embed


def _where(answer: TrackResult) -> str:
    return f"{answer.track.name} in {answer.season}" if answer.season else answer.track.name


def result_problem(answer: TrackResult) -> str | None:
    """Why /result has no race to show, as the sentence the fan reads; None when it has one."""
    where = _where(answer)
    if not answer.races:
        return f"No {answer.series} races stored for {where}."
    if answer.chosen is None and answer.race_asked:
        return f"That race isn't one of the {answer.series} races at {where}; pick one from the list."
    if answer.chosen is None:
        latest = answer.races[0]
        return (
            f"No results stored for {where} yet. Latest on the schedule: {latest.season} {latest.name}, "
            f"{race_day(latest)}."
        )
    if answer.result is None and answer.facts is None:
        return "That race is no longer stored; please try again."
    return None


def others_note(answer: TrackResult) -> str | None:
    """When the track hosted more than one race that season, name the others so the fan can pick."""
    chosen, others = answer.chosen, answer.others
    if chosen is None or not others:
        return None
    listed = "; ".join(r.label for r in others[:3])
    return clip(
        f"{chosen.track.name} hosted {len(others) + 1} races in {chosen.season}. Also: {listed} "
        "— pick one with the `race` option.",
        500,
    )
