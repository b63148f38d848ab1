"""``archive stats`` figures (goal ≤ 1 s over 1M archived events).

    .venv/bin/python benchmarks/bench_stats.py                    # 1M events, cached
    .venv/bin/python benchmarks/bench_stats.py --events 100000

Calls come from ``benchmarks/synth.py`` (its call flows, cut into one answer per call) and go
in through ``Archive.store``. The built archive is cached under the temp dir, keyed by its size,
so a rerun only times the stats. Printed: the first run's reading of every call's steps (once
per call, ever), then the median of several runs of the whole ``archive_stats`` and of a
filtered one, against a same-run baseline: a plain scan of the events table with ``sqlite3``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import _Flow  # synth.call(): one call at a time
from fuse_tui.core.archive import Archive, StoredAnswer
from fuse_tui.core.archive.stats import StatsFilter, archive_stats, fill_call_facts
from fuse_tui.core.formats import load_call_log


def build(archive: Archive, target_events: int) -> tuple[int, int, float]:
    began = time.perf_counter()
    flow = _Flow(random.Random(7))
    events = calls = 0
    while events < target_events:
        entries = list(flow.call())
        raw = json.dumps(entries, separators=(",", ":")).encode()
        start = int(entries[0]["timestamp"])
        number = f"617555{calls % 500:04d}"
        archive.store(
            StoredAnswer(raw, "json", load_call_log(raw, source="bench")),
            f"300060;{calls:06d};{start}",
            {"src": number, "dest": "8009957586", "start": start},
        )
        events += len(entries)
        calls += 1
    return calls, events, time.perf_counter() - began


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median milliseconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", type=Path, help="archive to build or reuse (default: cached)")
    args = parser.parse_args()
    path = args.path or Path(tempfile.gettempdir()) / f"fuse-bench-stats-{args.events}.sqlite3"
    with Archive.open(path) as archive:
        calls, events = archive.count()
        if events < args.events:
            print(f"building an archive of {args.events:,} events at {path} …", flush=True)
            _calls, new_events, seconds = build(archive, args.events - events)
            print(f"built in {seconds:.1f} s ({new_events / seconds:,.0f} events/s)")
            calls, events = archive.count()
        print(f"archive: {calls:,} calls, {events:,} events ({path})")
        began = time.perf_counter()
        filled = fill_call_facts(archive)
        if filled:
            print(
                f"first run: read the steps of {filled:,} calls in "
                f"{time.perf_counter() - began:.1f} s (once per call)"
            )
        whole = timed(lambda: archive_stats(archive), args.runs)
        stats = archive_stats(archive)
        last = stats.last or 0
        day = timed(lambda: archive_stats(archive, StatsFilter(since=last - 86400)), args.runs)
        number = timed(lambda: archive_stats(archive, StatsFilter(number="6175550042")), args.runs)
        app = timed(lambda: archive_stats(archive, StatsFilter(app="billing")), args.runs)
    conn = sqlite3.connect(path)
    scan = timed(
        lambda: conn.execute("SELECT count(*), sum(length(line)) FROM events").fetchone(),
        args.runs,
    )
    conn.close()
    print(
        f"stats: {stats.calls:,} calls, {stats.error_rate:.1%} with errors, "
        f"{stats.error_groups} error groups, {len(stats.per_hour):,} hours"
    )
    print(f"archive_stats, whole archive   {whole:8.1f} ms  ({whole / scan:.1f}x the scan)")
    print(f"archive_stats, last day        {day:8.1f} ms")
    print(f"archive_stats, --number        {number:8.1f} ms")
    print(f"archive_stats, --app billing   {app:8.1f} ms")
    print(f"baseline: scan of every event  {scan:8.1f} ms")
    verdict = "met" if whole <= 1000 else "NOT met"
    print(f"goal ≤ 1 s at {events:,} events: {verdict}")


if __name__ == "__main__":
    main()
