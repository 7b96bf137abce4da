"""A lease between processes sharing the database (db/repos/leases.py, bot/leases.py)."""

from __future__ import annotations

import datetime as dt

from db.models import Model


class Lease(Model):
    """`name` is held by `owner` until `expires_at`, unless renewed."""

    name: str
    owner: str
    expires_at: dt.datetime

    def live_at(self, now: dt.datetime) -> bool:
        return self.expires_at >= now
