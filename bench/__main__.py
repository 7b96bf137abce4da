"""`make bench` = `python -m bench`: every benchmark in turn, figures to copy into bench/README.md.

`python -m bench --quick` runs the same with small sizes (a smoke test of the scripts, not figures).
Benchmarks that need ../shared/data print "skipped" and pass when it is absent.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bench import backends, charts, fanout, fuzz_commands, growth, import_history, latency, pacing, rss, startup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes: check the scripts run")
    args = parser.parse_args(argv)
    quick = args.quick
    steps: list[tuple[str, Callable[[], int]]] = [
        ("history import", import_history.main),
        ("interaction latency", lambda: latency.main(["--rounds", "50" if quick else "1000"])),
        ("growth 1x -> 10x history", lambda: growth.main(["--rounds", "20", "--sizes", "bundled,1x"] if quick else [])),
        ("SQLite and PostgreSQL", lambda: backends.main(["--rounds", "20" if quick else "300"])),
        ("startup to READY", lambda: startup.main(["--runs", "1" if quick else "3"])),
        ("RSS with many guilds", lambda: rss.main(["--guilds", "1000" if quick else "10000"])),
        ("reminder fan-out", lambda: fanout.main(["--guilds", "100" if quick else "10000"])),
        ("REST pacing under faults", lambda: pacing.main(["--guilds", "100" if quick else "1000"])),
        ("random payloads", lambda: fuzz_commands.main(["--examples", "100" if quick else "10000"])),
        ("charts and loop lag", lambda: charts.main(["--renders", "10" if quick else "40"])),
    ]
    failed = []
    for title, step in steps:
        print(f"\n== {title} ==", flush=True)
        if step() != 0:
            failed.append(title)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
