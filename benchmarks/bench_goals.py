"""Every goal of issue 10 ("Instant at any size") in one run, each benchmark in its own process.

    .venv/bin/python benchmarks/bench_goals.py              # the goals' own size: 1M entries
    .venv/bin/python benchmarks/bench_goals.py --size 100000

Runs bench_read (readers: first piece, full read, peak RSS), bench_tui (first rows on screen,
keys, filters), bench_cli (cold start, --version, ndjson against jq), bench_query (the filter
language) and bench_archive (archive import, bytes on disk, search against the sqlite3 shell),
prints their output as it comes, then every line that says a goal was not met. Takes several
minutes at 1M (building the 1M-event archive call by call is the longest part).

The machine's slowdown against the idle machine of the goals' figures (machine.py) is measured
before the run and after it; the first is handed to every benchmark, which then says of a time
goal missed as measured whether it is met at the idle machine's speed. Both are printed: a
slowdown that moved much during the run makes its scaled verdicts doubtful.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402


def _runs(size: int) -> list[list[str]]:
    return [
        ["bench_read.py", "--size", str(size)],
        ["bench_tui.py", "--size", str(size)],
        ["bench_cli.py", "--entries", str(min(size, 1_000_000))],
        ["bench_query.py"],
        # import speed, then an archive of `size` events built call by call: bytes on disk and
        # `archive search` against the sqlite3 shell.
        ["bench_archive.py", "--events", str(size)],
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    missed: list[str] = []
    began = time.monotonic()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    before = machine.measure()
    print(f"slowdown against the idle machine (machine.py): {before:.2f}", flush=True)
    environment = {**os.environ, machine.ENVIRONMENT: f"{before:.3f}"}
    for run in _runs(args.size):
        print(f"\n== {' '.join(run)}", flush=True)
        process = subprocess.Popen(
            [sys.executable, str(HERE / run[0]), *run[1:]],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
        )
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lowered = line.lower()
            if "not met" in lowered or "over" in lowered.split():
                missed.append(f"{run[0]}: {line.strip()}")
        if process.wait() != 0:
            missed.append(f"{run[0]}: exited with status {process.returncode}")
    after = machine.measure()
    print(f"\n== summary ({time.monotonic() - began:.0f} s)")
    print(f"slowdown against the idle machine: {before:.2f} at the start, {after:.2f} at the end")
    if not missed:
        print("every goal met")
        return 0
    print("goals not met:")
    for line in missed:
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
