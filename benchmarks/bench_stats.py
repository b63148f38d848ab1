"""``archive stats`` figures (goal ≤ 1 s over 1M archived events).

    .venv/bin/python benchmarks/bench_stats.py                    # 1M events, cached
    .venv/bin/python benchmarks/bench_stats.py --events 100000

Calls come from ``benchmarks/synth.py`` (its call flows, cut into one answer per call) and go
in through ``Archive.store``: the first ``--stored`` events (100k) that way, the rest as copies
of those calls made in SQL (new session IDs, later times; events, search index and step facts
copied alike), as storing a million events one call at a time takes minutes. The built archive
is cached under the temp dir, keyed by its size, so a rerun only times the stats.

Printed: the first run's reading of every call's steps (once per call, ever), then the median
of several runs of the whole ``archive_stats`` and of filtered ones, against a same-run
baseline: a plain scan of the events table with ``sqlite3``.
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


def replicate(archive: Archive, target_events: int) -> None:
    """Copy the archived calls (and their facts) under new IDs, each copy later than the last,
    until the archive holds ``target_events``."""
    conn = archive._conn
    calls, events = archive.count()
    first, last = conn.execute("SELECT min(at), max(at) FROM call_facts").fetchone()
    span = int(last - first) + 3600
    copy = 0
    while events < target_events:
        copy += 1
        shift = copy * span
        suffix = f"#{copy}"
        with archive._write() as db:
            db.execute(
                "INSERT INTO calls SELECT session_id || ?, raw, format, content_type, origin, "
                'fetched_at + ?, src, dest, start + ?, "end" + ?, type, number, meta_json, '
                "event_count, first_ts + ?, last_ts + ?, class_counts FROM calls "
                "WHERE session_id NOT LIKE '%#%'",
                (suffix, shift, shift, shift, shift, shift),
            )
            db.execute(
                "INSERT INTO events (session_id, seq, class, module, timestamp, line, data_text) "
                "SELECT session_id || ?, seq, class, module, timestamp + ?, line, data_text "
                "FROM events WHERE session_id NOT LIKE '%#%'",
                (suffix, shift),
            )
            db.execute(
                "INSERT INTO call_facts SELECT session_id || ?, at + ?, errors, app, version "
                "FROM call_facts WHERE session_id NOT LIKE '%#%'",
                (suffix, shift),
            )
            db.execute(
                "INSERT INTO call_steps SELECT session_id || ?, number, module, variable, "
                "duration FROM call_steps WHERE session_id NOT LIKE '%#%'",
                (suffix,),
            )
        calls, events = archive.count()
        print(f"  copy {copy}: {calls:,} calls, {events:,} events", flush=True)


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
    parser.add_argument("--stored", type=int, default=100_000, help="events stored one by one")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", type=Path, help="archive to build or reuse (default: cached)")
    args = parser.parse_args()
    path = args.path or Path(tempfile.gettempdir()) / f"fuse-bench-stats-{args.events}.sqlite3"
    with Archive.open(path) as archive:
        calls, events = archive.count()
        stored = min(args.stored, args.events)
        if events < stored:
            print(f"storing {stored:,} events at {path} …", flush=True)
            _calls, new_events, seconds = build(archive, stored - events)
            print(f"stored in {seconds:.1f} s ({new_events / seconds:,.0f} events/s)")
            calls, events = archive.count()
        began = time.perf_counter()
        filled = fill_call_facts(archive)
        if filled:
            print(
                f"first run: read the steps of {filled:,} calls in "
                f"{time.perf_counter() - began:.1f} s (once per call)"
            )
        if events < args.events:
            print(f"copying calls up to {args.events:,} events …", flush=True)
            replicate(archive, args.events)
            calls, events = archive.count()
        archive._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"archive: {calls:,} calls, {events:,} events ({path})")
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
