"""The fault suite's random-payload test at full size: 10,000 payloads across every command.

Run: python -m bench.fuzz_commands [--examples 10000]
`make test` runs the same test with 300 examples (tests/faults/test_random_payloads.py); this runs it
with FAULT_EXAMPLES set, through pytest, and reports the time. About 10 minutes for 10,000.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

TEST = "tests/faults/test_random_payloads.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="10,000 random command payloads")
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", TEST, "--hypothesis-show-statistics"],
        env={**os.environ, "FAULT_EXAMPLES": str(args.examples)},
    )
    print(
        f"{args.examples:,} examples: {'passed' if done.returncode == 0 else 'FAILED'} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
