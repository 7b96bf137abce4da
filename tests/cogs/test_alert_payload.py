"""What discord.py really puts on the wire for a reminder: the nonce Discord deduplicates by, and enforce_nonce.

The fault tests' fake channel writes these fields itself; this test reads the payload discord.py builds
from the sender's call, so dropping `nonce=` from the sender (or a discord.py that stops sending
enforce_nonce) fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.alerts.planner import delivery_nonce
from bot.embeds.alerts import ref_footer
from tests.conftest import World


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2024, 5, 12, 17, 0, tzinfo=dt.UTC)  # Darlington 2024 starts 19:00Z


async def test_a_reminder_goes_out_with_its_key_nonce_enforced(world: World) -> None:
    alerts = world.guild.create_text_channel("race-alerts")
    await world.admin.slash(world.channel, "alerts setup", channel=alerts, leads="1h")

    await world.env.advance_time(3600 + 5)

    posts = [r for r in world.env.http_requests if r.method == "POST" and r.path == f"/channels/{alerts.id}/messages"]
    assert len(posts) == 1
    body = posts[0].json
    sent = await world.bot.store.alerts.recent_deliveries(guild_id=world.guild.id)
    assert [d.state for d in sent] == ["sent"]
    assert body["nonce"] == delivery_nonce(sent[0].key)
    assert body["enforce_nonce"] is True
    assert body["embeds"][0]["footer"]["text"].endswith(ref_footer(body["nonce"]).split(" · ")[-1])
