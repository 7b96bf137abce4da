"""/result: the race embed."""

from __future__ import annotations

import discord

from bot.embeds.common import (
    BRAND_COLOUR,
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    FIELD_VALUE,
    FOOTER_TEXT,
    cite,
    clip,
    join_within,
    race_day,
    source_lines,
    timestamp,
)
from db.models import RaceResult, ResultRow
from db.race_facts import RaceFacts

STATUS_LABEL = {
    "official": "Official",
    "provisional": "Provisional (not yet official)",
    "scheduled": "Scheduled",
}


def margin_phrase(result: RaceResult) -> str | None:
    """The margin as the store holds it: seconds when known, the feed's text ("Caution") otherwise."""
    if result.margin_s is not None:
        return f"{result.margin_s:.3f} s".replace("0.000 s", "< 0.001 s")
    if result.margin_text:
        return "under caution" if result.margin_text.lower() == "caution" else result.margin_text
    return None


def gap_or_status(row: ResultRow, winner: ResultRow) -> str:
    if row.status.lower() != "running":
        return row.status.lower()
    if row.laps is not None and winner.laps is not None and row.laps < winner.laps:
        down = winner.laps - row.laps
        return f"−{down} lap{'s' if down != 1 else ''}"
    return "lead lap"


def result_line(row: ResultRow, winner: ResultRow) -> str:
    led = f", led {row.laps_led}" if row.laps_led else ""
    return f"`{row.finish:>2}` **{row.driver}** #{row.car_number} · {gap_or_status(row, winner)}{led}"


def result_embed(result: RaceResult) -> discord.Embed:
    race = result.race
    winner = result.winner
    title = f"{race.season} {race.name}"
    when = timestamp(race.start_utc, "D") if race.start_utc else race_day(race)
    number = f"race {race.race_number} of the {race.season} season" if race.race_number else "non-points race"
    lines = [f"**{race.track.name}** · {when} · {number}"]
    if winner is not None:
        team = " ".join(x for x in (winner.team, winner.make) if x)
        runner_up = result.results[1] if len(result.results) > 1 else None
        margin = margin_phrase(result)
        won = f"🏁 **{winner.driver}** (#{winner.car_number}{', ' + team if team else ''}) won"
        if runner_up is not None and margin is not None:
            won += f" by **{margin}** over {runner_up.driver}{cite(result.sources_for('margin'))}"
        elif runner_up is not None:
            won += f" ahead of {runner_up.driver}"
        lines.append(won + ".")
    for note in result.notes[:3]:
        lines.append(f"• {note}")
    embed = discord.Embed(
        title=clip(title, 256), description=clip("\n".join(lines), EMBED_DESCRIPTION), colour=BRAND_COLOUR
    )
    if winner is not None:
        top = [result_line(row, winner) for row in result.results[:10]]
        embed.add_field(
            name=f"Top 10{cite(result.sources_for('results'))}",
            value=join_within(top, FIELD_VALUE),
            inline=False,
        )
    stage_winners = [s for s in result.stages if s.position == 1]
    if stage_winners:
        text = "\n".join(f"Stage {s.stage}: **{s.driver}**" for s in stage_winners)
        embed.add_field(name=f"Stages{cite(result.sources_for('stages'))}", value=text, inline=True)
    if result.pole is not None:
        detail = ", ".join(
            x
            for x in (
                f"{result.pole.time_s:.3f} s" if result.pole.time_s else None,
                f"{result.pole.speed_mph:.3f} mph" if result.pole.speed_mph else None,
            )
            if x
        )
        embed.add_field(
            name=f"Pole{cite(result.sources_for('pole'))}",
            value=f"**{result.pole.driver}**" + (f"\n{detail}" if detail else ""),
            inline=True,
        )
    if result.cautions is not None:
        laps = f" for {result.caution_laps} laps" if result.caution_laps is not None else ""
        embed.add_field(
            name=f"Cautions{cite(result.sources_for('cautions'))}",
            value=f"{result.cautions}{laps}",
            inline=True,
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
    cited.setdefault(race.source.key, race.source)
    embed.add_field(name="Sources", value=join_within(source_lines(cited.values()), FIELD_VALUE), inline=False)
    status = STATUS_LABEL[race.status] + (" · corrected after first publication" if result.corrected else "")
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
    embed.set_footer(text=clip(f"{STATUS_LABEL[race.status]} · data updated {race.updated_at:%Y-%m-%d}", FOOTER_TEXT))
    return embed


def race_facts_embed(facts: RaceFacts) -> discord.Embed:
    """A race whose full results are not stored: only what we know, each with its source."""
    race = facts.race
    when = timestamp(race.start_utc, "F") if race.start_utc else race_day(race)
    number = f"race {race.race_number} of the {race.season} season" if race.race_number else "non-points race"
    lines = [f"**{race.track.name}** · {when} · {number}"]
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
    embed.set_footer(text=clip(f"{STATUS_LABEL[race.status]} · data updated {race.updated_at:%Y-%m-%d}", FOOTER_TEXT))
    return embed
