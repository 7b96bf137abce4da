"""Lead times and pause lengths as admins type them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.alerts.leads import LeadError, parse_leads, parse_until
from db.models.alerts import Lead

NOW = dt.datetime(2024, 5, 12, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1d 1h 15m", (1440, 60, 15)),
        ("15m, 1h", (60, 15)),
        ("1h30m", (90,)),
        ("1 h", (60,)),
        ("90M 90m", (90,)),
        ("7d", (10080,)),
    ],
)
def test_lead_times_parse_to_minutes_longest_first(text: str, minutes: tuple[int, ...]) -> None:
    assert tuple(lead.minutes for lead in parse_leads(text)) == minutes


@pytest.mark.parametrize("text", ["", "soon", "0m", "8d", "-5m", "1x", "1h 2h 3h 4h 5h 6h", "h", "5"])
def test_nonsense_is_refused_with_the_expected_format(text: str) -> None:
    with pytest.raises(LeadError, match="1d 1h 15m"):
        parse_leads(text)


def test_format_lead_is_the_inverse_for_display() -> None:
    assert [str(Lead(m)) for m in (1440, 60, 15, 1505)] == ["1d", "1h", "15m", "1d1h5m"]


def test_pause_until_takes_a_length_or_a_date() -> None:
    assert parse_until("2h", now=NOW) == NOW + dt.timedelta(hours=2)
    assert parse_until("2024-05-20", now=NOW) == dt.datetime(2024, 5, 20, tzinfo=dt.UTC)
    with pytest.raises(LeadError, match="already passed"):
        parse_until("2024-05-01", now=NOW)
    with pytest.raises(LeadError, match="not a time"):
        parse_until("next week", now=NOW)


@pytest.mark.parametrize("minutes", [0, -5, 7 * 24 * 60 + 1])
def test_a_lead_outside_one_minute_to_seven_days_cannot_exist(minutes: int) -> None:
    with pytest.raises(ValueError):
        Lead(minutes)


def test_a_lead_reads_back_as_typed_and_orders_by_length() -> None:
    leads = parse_leads("15m 1d 1h")
    assert [str(lead) for lead in leads] == ["1d", "1h", "15m"]
    assert parse_leads(" ".join(str(lead) for lead in leads)) == leads
    assert Lead(60).before(dt.datetime(2024, 5, 12, 19, tzinfo=dt.UTC)) == dt.datetime(2024, 5, 12, 18, tzinfo=dt.UTC)
