"""``fuse-tui diff`` / the compare screen: how long ``core.diff.compare_calls`` takes.

    .venv/bin/python benchmarks/bench_diff.py

Three shapes: two realistic calls (the emulator's billing IVR, one failing); a hold loop of
5,000 turns against one of 5,200 (one step key repeated thousands of times: the exact matcher's
worst case, ~25 s before the shared start and end were matched directly); two unrelated calls of
random steps (nothing shared: the heuristic matcher, then no alignment past ALIGN_LIMIT).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuse_tui.core.diff import compare_calls
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.emulator.scenarios import billing_ivr_call, long_hold_call

START = 1_764_190_000


def _log(entries: list[dict[str, Any]]) -> CallLog:
    return CallLog(entries=[LogEntry.model_validate(e) for e in entries])


def _random(count: int, seed: int) -> CallLog:
    rng = random.Random(seed)
    return _log(
        [
            {
                "event": {
                    "line": "x",
                    "data": {
                        "module_type": rng.choice("abcdefgh"),
                        "result_variable": str(rng.randrange(50)),
                    },
                },
                "class": "info",
                "timestamp": START + n,
            }
            for n in range(count)
        ]
    )


def _time(name: str, a: CallLog, b: CallLog) -> None:
    began = time.perf_counter()
    diff = compare_calls(a, b)
    took = time.perf_counter() - began
    print(
        f"{name:<34} {len(a.entries):>7} vs {len(b.entries):>7} entries  {len(diff.rows):>6} rows"
        f"  {took:6.2f} s  aligned={diff.aligned}"
    )


def main() -> None:
    billing = [
        _log(billing_ivr_call("1;1;1", START, "1", "2", lookup_fails=f).entries)
        for f in (False, True)
    ]
    _time("billing IVR, worked vs failed", *billing)
    loops = [
        _log(long_hold_call("1;1;1", START, "1", "2", iterations=n).entries) for n in (5000, 5200)
    ]
    _time("hold loop, 5,000 vs 5,200 turns", *loops)
    for count in (3_000, 20_000, 50_000):
        _time(f"random steps, {count:,} entries", _random(count, 1), _random(count, 2))


if __name__ == "__main__":
    main()
