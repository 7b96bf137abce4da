"""The `leads` option of /alerts setup: typed as `1d 1h 15m`, received by the command as `Lead`s.

Parsing, its bounds and its "how to write it" answer live here once (bot/alerts/leads.py holds the
rules); autocomplete offers what the admin is typing, read back, and a few common choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import Interaction, app_commands

from bot.alerts.leads import LeadError, parse_leads
from bot.embeds.common import CHOICE_NAME, clip
from bot.errors import BadInput
from cogs._lookup import TextTransformer
from db.models.alerts import Lead

if TYPE_CHECKING:
    from bot.bot import PhotoFinish

DEFAULT_LEADS = (Lead(60),)
COMMON_LEADS = ("1h", "15m", "30m", "2h", "1d", "1h 15m", "1d 1h", "1d 1h 15m")


def leads_label(leads: tuple[Lead, ...]) -> str:
    """`1d 1h` → "1d 1h: a day and an hour before the start" for the choice list."""
    spoken = ", ".join(_spoken(lead) for lead in leads)
    return f"{' '.join(str(lead) for lead in leads)}: {spoken} before the start"


def _spoken(lead: Lead) -> str:
    days, rest = divmod(lead.minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


class LeadsTransformer(TextTransformer):
    async def transform(self, interaction: Interaction[PhotoFinish], value: str, /) -> tuple[Lead, ...]:
        try:
            return parse_leads(value)
        except LeadError as error:
            raise BadInput(str(error)) from None

    async def autocomplete(  # type: ignore[override]  # discord.py types the choices' value loosely
        self, interaction: Interaction[PhotoFinish], value: str, /
    ) -> list[app_commands.Choice[str]]:
        offered: list[app_commands.Choice[str]] = []
        typed = value.strip()
        if typed:
            try:
                leads = parse_leads(typed)
            except LeadError:
                pass  # not a lead yet: the common choices below, and the command says how to write one
            else:
                canonical = " ".join(str(lead) for lead in leads)
                offered.append(app_commands.Choice(name=clip(leads_label(leads), CHOICE_NAME), value=canonical))
        for text in COMMON_LEADS:
            if text.startswith(typed.lower()) and all(c.value != text for c in offered):
                offered.append(app_commands.Choice(name=leads_label(parse_leads(text)), value=text))
        return offered


LeadsOption = app_commands.Transform[tuple[Lead, ...], LeadsTransformer]
