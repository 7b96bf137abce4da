"""Extra datasets for the fan-command tests, written to a temp file and loaded like any import."""

from __future__ import annotations

from pathlib import Path

from bot.bot import PhotoFinish
from db.importers.loader import load_dataset_file


def field_of_43_yaml() -> str:
    results = "\n".join(
        f"  - {{pos: {i}, start: {i}, car: '{i}', driver: Field Driver {i:02d}, team: Team {i}, laps: {200 - i // 40},"
        f" status: running, led: {1 if i == 1 else 0}}}"
        for i in range(1, 44)
    )
    return f"""
sources:
- key: TEST-FIELD
  title: Test fixture for a 43-car field
races:
- season: 1999
  race_number: 1
  name: Forty-Three Car 500
  track: daytona
  date: 1999-02-14
  status: official
  source: TEST-FIELD
  field_sources:
    results: [TEST-FIELD]
  results:
{results}
quotes:
- text: "@everyone look at this finish <@&123456789012345678> and @here too"
  speaker: Field Driver 01
  race: {{series: cup, season: 1999, race_number: 1}}
  said_to: Test Radio
  source: TEST-FIELD
"""


async def load_field_of_43(bot: PhotoFinish, tmp_path: Path) -> None:
    path = tmp_path / "field43.yaml"
    path.write_text(field_of_43_yaml(), encoding="utf-8")
    await load_dataset_file(bot.store.db, path)
    bot.store.data_changed()
