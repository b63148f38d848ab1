"""This machine's speed at the moment, against the idle machine the goals' figures came from.

The VM is shared with other tenants: on some days the same code runs 2 to 2.5 times slower all day
(CPU steal), and a goal in seconds then fails for the machine, not the code. So a benchmark
judges a time goal twice: as measured, and scaled by the machine's slowdown at the moment.

The slowdown is the minimum of three runs of the workload the idle figure was measured with —
``json.loads`` of the same synthetic 1M-entry JSON array (``synth.py``, seed 0, 215 MB), GC
paused, each in a fresh process, as ``bench_read.py`` measures its baseline — divided by that
figure: 2.03 s on 2 December 2026 (16:21 UTC, load average 0.5; the README's table). The
minimum makes the slowdown the smallest the machine showed, so the scaling flatters nothing.

    .venv/bin/python benchmarks/machine.py         # prints the slowdown (~1 min: the file)

``bench_goals.py`` measures it before and after its run and hands the larger of its first
measure and 1.0 to every benchmark in ``FUSE_BENCH_SLOWDOWN``; a benchmark run alone judges
by the times as measured unless that variable is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

# bench_read's baseline on the idle machine: json.loads of synth.py's 1M entries, seed 0.
IDLE_LOADS_S = 2.03
CALIBRATION_SIZE = 1_000_000
ENVIRONMENT = "FUSE_BENCH_SLOWDOWN"


def calibration_file() -> Path:
    """synth.py's 1M-entry JSON array, seed 0: made once, kept in the temporary directory."""
    path = Path(tempfile.gettempdir()) / f"fuse-bench-calibration-{CALIBRATION_SIZE}-0.json"
    if not path.exists():
        from synth import synth_entries

        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(synth_entries(CALIBRATION_SIZE, 0)), encoding="utf-8")
        partial.replace(path)
    return path


def measure(runs: int = 3) -> float:
    """The slowdown now: best ``json.loads`` time of ``runs`` fresh processes ÷ the idle one."""
    path = calibration_file()
    code = (
        "import gc, json, sys, time\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "gc.disable()\n"
        "began = time.perf_counter()\n"
        "json.loads(data)\n"
        "print(time.perf_counter() - began)\n"
    )
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code, str(path)],
                capture_output=True,
                text=True,
                check=True,
                timeout=600,
            ).stdout
        )
        for _ in range(runs)
    ]
    return min(times) / IDLE_LOADS_S


def slowdown() -> float:
    """The slowdown handed down by bench_goals (``FUSE_BENCH_SLOWDOWN``); 1.0 when unset."""
    try:
        value = float(os.environ.get(ENVIRONMENT, "1"))
    except ValueError:
        return 1.0
    return max(value, 1.0)


def judged(seconds: float | None, goal: float) -> str:
    """``met``, ``met at the idle machine's speed (…)``, or ``NOT met``, for a time goal
    (any unit: the slowdown is a ratio). The scaled verdict never contains "not met"."""
    if seconds is None:
        return "NOT met (never seen)"
    if seconds <= goal:
        return "met"
    factor = slowdown()
    if factor > 1.0 and seconds / factor <= goal:
        scaled = seconds / factor
        return f"met at the idle machine's speed ({seconds:.3g} / {factor:.2f} = {scaled:.3g})"
    return "NOT met"


if __name__ == "__main__":
    print(f"slowdown against the idle machine: {measure():.2f}")
