"""Read speed, first-piece time and peak memory of the call-log readers (issue 10 goals).

    .venv/bin/python benchmarks/bench_read.py                   # 100k entries (under a minute)
    .venv/bin/python benchmarks/bench_read.py --size 1000000    # the goals' own size

For a JSON array, NDJSON (one call, ``session_id`` on every line, as ``show -f ndjson`` writes)
and XML of the same synthetic log (benchmarks/synth.py), each measured in a fresh process:

- first piece: seconds until ``read_progressively`` yields its first piece (what the TUI shows
  first), file reading included;
- full read: seconds of ``load_file`` (what ``show`` and the archive do);
- peak RSS: the process's VmHWM after the full read (input bytes, parser buffers and the log);
- the same-run baseline: ``json.loads`` of the JSON array with the GC paused, in its own
  process (this machine's speed at the moment: compare ratios when it is busy);
- cpu: the CPU seconds of the full read (what a busy machine inflates least).

Goals at 1M entries (198 MB of JSON): full read <= 3 s for JSON and NDJSON, <= 6 s for XML;
peak RSS <= 500 MB for JSON and NDJSON, <= 800 MB for XML; first piece < 1 s; and 1M ``{}``
(a 3 MB file) <= 400 MB. Times scale with the size (a 100k run is held to a tenth of them);
memory goals are the 1M ones at any size.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import judged
from synth import synth_entries, synth_xml

GOAL_SIZE = 1_000_000
FULL_GOAL_S = {"json": 3.0, "ndjson": 3.0, "xml": 6.0}
RSS_GOAL_MIB = {"json": 500, "ndjson": 500, "xml": 800, "empty": 400}
FIRST_GOAL_S = 1.0
SESSION = "300060;001;1529552581"


def _peak_rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    peak_kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(peak_kib) / 1024


def child(mode: str, path: str) -> None:
    """In a fresh process: one measurement, printed as ``seconds cpu_seconds peak_mib``."""
    cpu = time.process_time()
    if mode == "loads":
        data = Path(path).read_bytes()
        gc.disable()
        started = time.perf_counter()
        json.loads(data)
        elapsed = time.perf_counter() - started
    elif mode == "first":
        from fuse_tui.core.formats.progressive import read_progressively

        started = time.perf_counter()
        next(iter(read_progressively(path)))
        elapsed = time.perf_counter() - started
    else:
        from fuse_tui.core.formats import LogsDocument, load_file

        started = time.perf_counter()
        document = load_file(path)
        elapsed = time.perf_counter() - started
        assert isinstance(document, LogsDocument) and document.logs[0].entries
    print(elapsed, time.process_time() - cpu, _peak_rss_mib())


def run_child(mode: str, path: Path) -> tuple[float, float, float]:
    """(seconds, CPU seconds, peak MiB) of one measurement in a fresh process."""
    command = [sys.executable, __file__, "--child", mode, str(path)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    seconds, cpu, mib = out.stdout.split()[-3:]
    return float(seconds), float(cpu), float(mib)


def write_dumps(count: int, seed: int, folder: Path) -> dict[str, Path]:
    entries = synth_entries(count, seed)
    paths = {name: folder / f"log.{name}" for name in ("json", "ndjson", "xml")}
    paths["json"].write_text(json.dumps(entries), encoding="utf-8")
    with paths["ndjson"].open("w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps({**entry, "session_id": SESSION}) + "\n")
    del entries
    paths["xml"].write_bytes(synth_xml(count, seed))
    return paths


# An all_logs dump: the log cut into calls of this many entries (the emulator's calls hold
# ~14 to ~140).
CALL_ENTRIES = 70


def write_all_logs(count: int, seed: int, folder: Path) -> dict[str, Path]:
    """The synthetic log as an all_logs dump (calls of CALL_ENTRIES entries), JSON and XML."""
    from fuse_tui.core.formats.xml_writer import xml_text

    entries = synth_entries(count, seed)
    calls = [
        {
            "session_id": f"300060;{n:06d};1529552581",
            "src": "2125551234",
            "dest": "8009957586",
            "start": "1529552691",
            "end": "1529552697",
            "detail": entries[start : start + CALL_ENTRIES],
        }
        for n, start in enumerate(range(0, count, CALL_ENTRIES))
    ]
    paths = {name: folder / f"all_logs.{name}" for name in ("json", "xml")}
    paths["json"].write_text(json.dumps({"calls": calls}), encoding="utf-8")
    paths["xml"].write_text(xml_text({"calls": calls}), encoding="utf-8")
    return paths


def verdict(ok: bool) -> str:
    return "goal met" if ok else "GOAL NOT MET"


def time_verdict(seconds: float, goal: float) -> tuple[bool, str]:
    """A time goal, judged as measured and at the idle machine's speed (machine.judged)."""
    said = judged(seconds, goal)
    return "not met" not in said.lower(), f"goal {said}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reader speed, first piece and peak memory.")
    parser.add_argument("--size", type=int, default=100_000, help="entries (default 100k)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0

    scale = args.size / GOAL_SIZE
    print(f"Python {sys.version.split()[0]}; {args.size:,} entries; each figure a fresh process")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_dumps(args.size, args.seed, folder)
        loads_s, _, loads_mib = run_child("loads", paths["json"])
        size_mb = paths["json"].stat().st_size / 1e6
        print(
            f"baseline json.loads, GC paused ({size_mb:.0f} MB): "
            f"{loads_s:.2f} s, {loads_mib:.0f} MiB"
        )
        print(
            f"{'format':>7} {'MB':>6} {'first':>7} {'full':>7} {'/loads':>7} {'cpu':>7} "
            f"{'RSS MiB':>8}"
        )
        met = True
        for name, path in paths.items():
            first_s, _, _ = run_child("first", path)
            full_s, full_cpu, rss = run_child("full", path)
            mb = path.stat().st_size / 1e6
            print(
                f"{name:>7} {mb:>6.0f} {first_s:>6.2f}s {full_s:>6.2f}s "
                f"{full_s / loads_s:>6.2f}x {full_cpu:>6.2f}s {rss:>8.0f}"
            )
            rss_ok = rss <= RSS_GOAL_MIB[name]
            checks = [
                (f"first piece < {FIRST_GOAL_S:.1f} s", time_verdict(first_s, FIRST_GOAL_S)),
                (
                    f"full read <= {FULL_GOAL_S[name] * scale:.2f} s",
                    time_verdict(full_s, FULL_GOAL_S[name] * scale),
                ),
                (f"peak RSS <= {RSS_GOAL_MIB[name]} MiB", (rss_ok, verdict(rss_ok))),
            ]
            for label, (ok, said) in checks:
                met &= ok
                print(f"        {name} {label}: {said}")
        empty = folder / "empty.json"
        empty.write_bytes(b"[" + b",".join([b"{}"] * args.size) + b"]")
        empty_s, _, empty_rss = run_child("full", empty)
        ok = empty_rss <= RSS_GOAL_MIB["empty"]
        met &= ok
        print(
            f"  {args.size:,} {{}} ({empty.stat().st_size / 1e6:.0f} MB): {empty_s:.2f} s, "
            f"{empty_rss:.0f} MiB (<= {RSS_GOAL_MIB['empty']} MiB: {verdict(ok)})"
        )
        # No goal of its own: an all_logs dump is read call by call (show, the TUI), each with
        # its models; the figure says how far that is from a one-call log of the same size.
        for name, path in write_all_logs(args.size, args.seed, folder).items():
            full_s, full_cpu, rss = run_child("full", path)
            print(
                f"  all_logs {name} ({path.stat().st_size / 1e6:.0f} MB, calls of "
                f"{CALL_ENTRIES}): {full_s:.2f} s ({full_s / loads_s:.2f}x), CPU "
                f"{full_cpu:.2f} s, {rss:.0f} MiB"
            )
    print("times are this machine's at the moment: compare /loads when it is busy")
    print("all goals met" if met else "some goals NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
