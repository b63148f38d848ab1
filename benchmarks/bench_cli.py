"""The script commands as a person times them: a fresh process, start to exit.

    .venv/bin/python benchmarks/bench_cli.py                  # 200k entries for the ndjson race
    .venv/bin/python benchmarks/bench_cli.py --entries 1000000

Goals (issue "Instant at any size"): ``fuse-tui show`` of a small dump starts and finishes in
≤ 0.12 s and ``fuse-tui --version`` in ≤ 0.08 s (best of N fresh processes; a bare
``python -c pass`` is printed as the floor); ``fuse-tui show -f ndjson`` of a big dump takes
≤ 1.0x ``jq -c '.[]'`` of the same file (medians of alternating runs; skipped without jq).
``show -f json`` of the same file is timed too (it should not be much slower than ndjson).
The start-up lines also print the best CPU time (user + sys) of the same runs: on a busy machine
it stays near the idle figure while the wall time does not.

The package's bytecode is compiled first, as an installed package has it: with
``PYTHONDONTWRITEBYTECODE`` set, every start would compile fuse_tui from source (~30 ms more).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import judged  # noqa: E402
from benchmarks.synth import synth_json  # noqa: E402

FUSE_TUI = [sys.executable, "-m", "fuse_tui"]
SEED = ROOT / "tests" / "data" / "seed_call.json"


def _run(argv: list[str], out: Path | None = None) -> float:
    return _timed(argv, out)[0]


def _timed(argv: list[str], out: Path | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + sys) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    with open(out or "/dev/null", "wb") as sink:
        done = subprocess.run(argv, stdout=sink, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:  # a benchmark of a failing command measures nothing: say why
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _best(argv: list[str], runs: int) -> tuple[float, float]:
    """The best wall time of ``runs`` fresh processes, and their best CPU time: on a busy
    machine the CPU time stays near what an idle one shows, the wall time does not."""
    times = [_timed(argv) for _ in range(runs)]
    return min(wall for wall, _ in times), min(cpu for _, cpu in times)


def _ms(best: tuple[float, float]) -> str:
    return f"{best[0] * 1000:.0f} ms; CPU {best[1] * 1000:.0f} ms"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    compileall.compile_dir(ROOT / "fuse_tui", quiet=1)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average (1, 5, 15 min): {load} — compare with the floor on a busy machine")
    floor = _best([sys.executable, "-c", "pass"], args.runs)
    version = _best([*FUSE_TUI, "--version"], args.runs)
    show = _best([*FUSE_TUI, "show", str(SEED)], args.runs)
    print(f"python -c pass (the floor): {_ms(floor)}")
    print(f"goal fuse-tui --version ≤ 80 ms: {judged(version[0], 0.08)} ({_ms(version)})")
    print(f"goal fuse-tui show (seed call) ≤ 120 ms: {judged(show[0], 0.12)} ({_ms(show)})")

    jq = shutil.which("jq")
    if jq is None:
        print("jq is not installed: the ndjson race is skipped")
        return
    folder = Path(tempfile.mkdtemp(prefix="fuse-bench-cli-"))
    dump = folder / "big.json"
    dump.write_bytes(synth_json(args.entries, seed=1))
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(3):  # alternating, so a busy moment of the machine hits both
        theirs.append(_run([jq, "-c", ".[]", str(dump)], folder / "jq.out"))
        ours.append(_run([*FUSE_TUI, "show", "-f", "ndjson", str(dump)], folder / "ours.out"))
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(
        f"goal show -f ndjson ≤ 1.0x jq -c '.[]' at {args.entries:,} entries: "
        f"{_verdict(ratio <= 1.0)} ({statistics.median(ours):.2f} s vs "
        f"{statistics.median(theirs):.2f} s, {ratio:.2f}x)"
    )
    pretty = [
        _run([*FUSE_TUI, "show", "-f", "json", str(dump)], folder / "ours.json") for _ in range(3)
    ]
    print(
        f"show -f json (indented) of the same file: {statistics.median(pretty):.2f} s "
        f"({statistics.median(pretty) / statistics.median(ours):.2f}x ndjson)"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
