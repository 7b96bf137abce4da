"""Without a reachable PostgreSQL its tests skip on a developer's machine and fail under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
from tests.pg_support import require_postgres

def test_needs_postgres():
    require_postgres()
"""


def run_probe(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PHOTOFINISH_TEST_PG_URL": "postgresql://nobody@127.0.0.1:9/none"}
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path / "test_probe.py")]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("ci", [False, True], ids=["developer", "ci"])
def test_an_unreachable_server_skips_or_fails_by_ci(tmp_path: Path, ci: bool) -> None:
    ran = run_probe(tmp_path, ci)
    if ci:
        assert ran.returncode == 1 and "CI is set, so the PostgreSQL tests must run" in ran.stdout, ran.stdout
    else:
        assert ran.returncode == 0 and "1 skipped" in ran.stdout and "is not usable" in ran.stdout, ran.stdout
