"""Name lookups shared by the fan commands: exact or fuzzy, with "did you mean" on a miss.

The `Transformer`s are how a cog asks for a track, a driver, a race or a quoted race: the option's autocomplete,
its length bounds and its "did you mean" answer live here once, and the command receives the model
(`track: TrackOption` gives a `Track`), not a string to look up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from discord import Interaction, app_commands

from bot.embeds.common import CHOICE_NAME, CHOICES, clip
from bot.errors import BadInput, NotFound
from db.fuzzy import MIN_QUERY
from db.models import Driver, Match, RaceSummary, Series, Track
from db.names import normalize_name
from db.repos.results import match_race
from db.store import Store

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

TEXT_LENGTH = 100  # what a typed option accepts; Discord's own cap on a choice's value


def _hint(matches: list[Match]) -> str:
    return f" Did you mean {', '.join(m.label for m in matches)}?" if matches else ""


def _check_length(query: str, what: str, example: str) -> None:
    if len(normalize_name(query)) < MIN_QUERY:
        raise BadInput(f"Type at least {MIN_QUERY} letters of a {what}'s name or nickname, e.g. `{example}`.")


def _miss(query: str, what: str, suggestions: list[Match]) -> NotFound:
    """Never an answer about another entity: ambiguous or unknown input gets a question back."""
    shown = clip(query.strip(), 60)
    if len(suggestions) > 1 and all(m.score >= 150.0 for m in suggestions):
        return NotFound(f"“{shown}” could be more than one {what}.{_hint(suggestions)}")
    return NotFound(f"I don't know a {what} called “{shown}”.{_hint(suggestions)}")


async def resolve_track(store: Store, query: str) -> Track:
    """The track a fan named (db.fuzzy's policy); a short question back when unsure."""
    _check_length(query, "track", "kansas")
    track = await store.tracks.find_track(query=query)
    if track is None:
        raise _miss(query, "track", await store.tracks.search_tracks(query=query, limit=3))
    return track


async def resolve_driver(store: Store, query: str) -> Driver:
    """The driver a fan named (db.fuzzy's policy); a short question back when unsure."""
    _check_length(query, "driver", "Larson")
    driver = await store.drivers.find_driver(query=query)
    if driver is None:
        raise _miss(query, "driver", await store.drivers.search_drivers(query=query, limit=3))
    return driver


def choices(matches: list[Match]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices: at most 25, names and values within Discord's 100 characters."""
    return [app_commands.Choice(name=clip(m.label, CHOICE_NAME), value=clip(m.label, 100)) for m in matches[:CHOICES]]


class TextTransformer(app_commands.Transformer["PhotoFinish"]):
    """A string option of 1–100 characters, typed or picked from autocomplete (names here, lead times in
    cogs/alerts/_options.py): the bounds every such option shares."""

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return TEXT_LENGTH


class TrackTransformer(TextTransformer):
    async def transform(self, interaction: Interaction[PhotoFinish], value: str, /) -> Track:
        return await resolve_track(interaction.client.store, value)

    async def autocomplete(  # type: ignore[override]  # discord.py types the choices' value loosely
        self, interaction: Interaction[PhotoFinish], value: str, /
    ) -> list[app_commands.Choice[str]]:
        return choices(await interaction.client.store.tracks.search_tracks(query=value, limit=CHOICES))


class DriverTransformer(TextTransformer):
    async def transform(self, interaction: Interaction[PhotoFinish], value: str, /) -> Driver:
        return await resolve_driver(interaction.client.store, value)

    async def autocomplete(  # type: ignore[override]
        self, interaction: Interaction[PhotoFinish], value: str, /
    ) -> list[app_commands.Choice[str]]:
        return choices(await interaction.client.store.drivers.search_drivers(query=value, limit=CHOICES))


class QuotedRaceTransformer(TextTransformer):
    """A race some stored quote is about: its id (from autocomplete), its label, or a unique part of it."""

    async def transform(self, interaction: Interaction[PhotoFinish], value: str, /) -> RaceSummary:
        chosen = match_race(await interaction.client.store.quotes.races_with_quotes(), value)
        if chosen is None:
            raise NotFound(f"I have no quotes about a race called “{clip(value, 60)}”; pick one from the list.")
        return chosen

    async def autocomplete(  # type: ignore[override]
        self, interaction: Interaction[PhotoFinish], value: str, /
    ) -> list[app_commands.Choice[str]]:
        needle = value.casefold().strip()
        races = await interaction.client.store.quotes.races_with_quotes()
        labelled = ((r.label, str(r.id)) for r in races)
        matching = [app_commands.Choice(name=label, value=id_) for label, id_ in labelled if needle in label.casefold()]
        return matching[:CHOICES]


class TrackRaceTransformer(TextTransformer):
    """Which race at the chosen track (its id from autocomplete, its label, or a unique part of it).

    The text is matched by the same store call that reads the track's races for the answer (ResultStore
    .at_track): a race means something only beside its track, season and series, so resolving it here
    would read those races twice. Autocomplete lists them from the options typed so far."""

    async def transform(self, interaction: Interaction[PhotoFinish], value: str, /) -> str:
        return value.strip()

    async def autocomplete(  # type: ignore[override]
        self, interaction: Interaction[PhotoFinish], value: str, /
    ) -> list[app_commands.Choice[str]]:
        store, namespace = interaction.client.store, interaction.namespace
        track = await store.tracks.find_track(query=str(namespace.track or ""))
        if track is None:
            return []
        season = namespace.season if isinstance(namespace.season, int) else None
        series: Series = "cup"
        for known in get_args(Series):  # the series option as typed so far (a raw string), else the default
            if namespace.series == known:
                series = known
        races = await store.races.races_at_track(track_id=track.id, series=series, season=season)
        needle = value.casefold().strip()
        matching = (r for r in races if needle in r.label.casefold() or needle == str(r.id))
        return [app_commands.Choice(name=clip(r.label, CHOICE_NAME), value=str(r.id)) for r in matching][:CHOICES]


TrackOption = app_commands.Transform[Track, TrackTransformer]
TrackRaceOption = app_commands.Transform[str, TrackRaceTransformer]
DriverOption = app_commands.Transform[Driver, DriverTransformer]
QuotedRaceOption = app_commands.Transform[RaceSummary, QuotedRaceTransformer]
