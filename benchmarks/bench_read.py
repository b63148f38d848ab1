"""Read speed and memory of the call-log readers, against a bare ``json.loads`` of the same bytes.

    .venv/bin/python benchmarks/bench_read.py                       # 1k, 10k, 100k entries
    .venv/bin/python benchmarks/bench_read.py --sizes 1000000 --repeat 1

For each size it prints: the size of the JSON and XML dumps; the best-of-N time of a bare
``json.loads`` (the baseline, GC on as anyone would call it; the same with the GC paused is shown
too); the time of ``formats.load`` into the model for JSON and for XML; the ratio of the JSON read
to the baseline (goal at 100k entries: <= 2.5); the peak Python memory of each read
(tracemalloc, measured in a separate run because tracing slows everything down); and the peak
resident memory of a fresh process that opens the JSON dump with ``load_file`` (VmHWM: it
counts what tracemalloc cannot see, the input bytes and pydantic's native parse buffers; goal
for 1M entries: <= 2 GB).
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synth_json, synth_xml

from fuse_tui.core.formats import LogsDocument, load, load_file

GOAL_RATIO = 2.5
GOAL_RSS_MIB = 2048  # for 1M entries


def clean_slate() -> None:
    """Same GC state before every run: the reader freezes what it loads (gc.freeze), which
    changes when later collections happen; undo that so the baseline is not penalised."""
    gc.unfreeze()
    gc.collect()


def best_time(action: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        clean_slate()
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def peak_mib(action: Callable[[], Any]) -> float:
    clean_slate()
    tracemalloc.start()
    try:
        result = action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / 2**20


def rss_child(path: str) -> None:
    """In a fresh process: open ``path`` as the app does, and print the peak RSS in MiB.

    VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's peak (the fork), and this
    parent holds big test data.
    """
    document = load_file(path)
    assert isinstance(document, LogsDocument)
    status = Path("/proc/self/status").read_text()
    peak_kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    print(int(peak_kib) / 1024)


def peak_rss_mib(data: bytes) -> float:
    with tempfile.NamedTemporaryFile(suffix=".json") as dump:
        dump.write(data)
        dump.flush()
        command = [sys.executable, __file__, "--rss-child", dump.name]
        out = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def json_loads_gc_paused(data: bytes) -> Any:
    gc.disable()
    try:
        return json.loads(data)
    finally:
        gc.enable()


def check(data: bytes, count: int) -> None:
    document = load(data, source="bench")
    assert isinstance(document, LogsDocument) and len(document.logs[0].entries) == count


def measure(count: int, seed: int, repeat: int, memory: bool) -> tuple[str, float, float]:
    """One table row for ``count`` entries, the JSON read / json.loads ratio, the JSON RSS."""
    json_bytes = synth_json(count, seed)
    xml_bytes = synth_xml(count, seed)
    check(json_bytes, count)
    check(xml_bytes, count)
    loads = best_time(lambda: json.loads(json_bytes), repeat)
    loads_paused = best_time(lambda: json_loads_gc_paused(json_bytes), repeat)
    read_json = best_time(lambda: load(json_bytes, source="bench"), repeat)
    read_xml = best_time(lambda: load(xml_bytes, source="bench"), repeat)
    ratio = read_json / loads
    peak_json = peak_mib(lambda: load(json_bytes, source="bench")) if memory else float("nan")
    peak_xml = peak_mib(lambda: load(xml_bytes, source="bench")) if memory else float("nan")
    rss_json = peak_rss_mib(json_bytes) if memory else float("nan")
    row = (
        f"{count:>9,} {len(json_bytes) / 1e6:>8.1f} {len(xml_bytes) / 1e6:>7.1f} "
        f"{loads:>7.3f}s {loads_paused:>7.3f}s {read_json:>9.3f}s {ratio:>5.2f}x "
        f"{read_xml:>8.3f}s {read_xml / loads:>8.2f}x "
        f"{peak_json:>7.0f}MiB {peak_xml:>6.0f}MiB {rss_json:>6.0f}MiB"
    )
    return row, ratio, rss_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reader speed vs json.loads, and peak memory.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child)
        return 0

    print(f"Python {sys.version.split()[0]}; best of {args.repeat}; seed {args.seed}")
    print(
        f"{'entries':>9} {'JSON MB':>8} {'XML MB':>7} {'loads':>8} {'loads*':>8} "
        f"{'read JSON':>10} {'ratio':>6} {'read XML':>9} {'XML/loads':>9} "
        f"{'peak JSON':>10} {'peak XML':>9} {'RSS JSON':>9}"
    )
    verdicts = []
    for count in args.sizes:
        row, ratio, rss = measure(count, args.seed, args.repeat, not args.no_memory)
        print(row, flush=True)
        if count >= 100_000:
            verdicts.append((count, ratio, rss))
    print("loads = json.loads (GC on); loads* = json.loads, GC paused; ratio = read JSON / loads")
    print("peak = tracemalloc (Python objects); RSS = peak VmHWM of a load_file process")
    for count, ratio, rss in verdicts:
        status = "OK" if ratio <= GOAL_RATIO else "OVER GOAL"
        print(f"goal at {count:,} entries: read <= {GOAL_RATIO}x json.loads: {ratio:.2f}x {status}")
        if count >= 1_000_000 and rss == rss:  # not NaN
            status = "OK" if rss <= GOAL_RSS_MIB else "OVER GOAL"
            print(f"goal at {count:,} entries: RSS <= {GOAL_RSS_MIB} MiB: {rss:.0f} MiB {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
