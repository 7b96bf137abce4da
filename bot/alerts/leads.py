"""Lead times (`1d 1h 15m`) and pause lengths typed by admins, parsed once into `Lead`s and moments."""

from __future__ import annotations

import datetime as dt
import re

from db.models.alerts import MAX_LEAD_MIN, Lead

MAX_LEADS = 5
UNITS = {"d": 24 * 60, "h": 60, "m": 1}
_TOKEN = re.compile(r"(\d{1,5})\s*([dhm])")
LEADS_HELP = "Write lead times like `1d 1h 15m` (d = days, h = hours, m = minutes), each from 1m to 7d, at most 5."


class LeadError(ValueError):
    """The admin's text is not a lead time; the message says how to write one."""


def parse_duration_minutes(token: str) -> int:
    """One duration such as `1h`, `90m` or `1h30m`, in minutes."""
    text = token.strip().lower()
    parts = _TOKEN.findall(text)
    if not text or not parts or _TOKEN.sub("", text).strip():
        raise LeadError(f"“{token[:20]}” is not a lead time. {LEADS_HELP}")
    return sum(int(amount) * UNITS[unit] for amount, unit in parts)


def parse_leads(text: str) -> tuple[Lead, ...]:
    """Several lead times separated by spaces or commas, longest first, without repeats."""
    tokens = [t for t in re.split(r"[\s,]+", text.strip().lower()) if t]
    # "1 h" typed with a space: glue a bare number to the unit that follows it.
    glued: list[str] = []
    for token in tokens:
        if glued and glued[-1].isdigit() and token in UNITS:
            glued[-1] += token
        else:
            glued.append(token)
    if not glued:
        raise LeadError(f"No lead time given. {LEADS_HELP}")
    minutes = {parse_duration_minutes(token) for token in glued}
    if any(m < 1 or m > MAX_LEAD_MIN for m in minutes):
        raise LeadError(f"Lead times must be between 1m and 7d. {LEADS_HELP}")
    if len(minutes) > MAX_LEADS:
        raise LeadError(f"At most {MAX_LEADS} lead times. {LEADS_HELP}")
    return tuple(Lead(m) for m in sorted(minutes, reverse=True))


def parse_until(text: str, *, now: dt.datetime) -> dt.datetime:
    """`2h`, `3d` from now, or an ISO date/instant (a date means its start, UTC)."""
    cleaned = text.strip()
    try:
        return now + dt.timedelta(minutes=parse_duration_minutes(cleaned))
    except LeadError:
        pass
    try:
        value = dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise LeadError(
            f"“{cleaned[:30]}” is not a time. Use a length such as `2h` or `3d`, or a date such as `2024-05-20`."
        ) from None
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if value <= now:
        raise LeadError("That time has already passed; pick one in the future.")
    return value
