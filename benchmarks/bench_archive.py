"""Archive figures: build speed, bytes per event, FTS term-query latency (goal ≤ 200 ms at 1M).

    .venv/bin/python benchmarks/bench_archive.py                  # 100k events
    .venv/bin/python benchmarks/bench_archive.py --events 1000000 --keep /tmp/a1m.sqlite3

Calls come from the emulator's generator (realistic lines and data). The query latency is
the median and worst of several runs of ``Archive.search(term, limit=100)`` — what
``fuse-tui archive search TERM`` does — compared with a same-run LIKE scan as the baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.machine import judged
from fuse_tui.cli import main as cli_main
from fuse_tui.core.archive import Archive, StoredAnswer, import_file, queries
from fuse_tui.core.formats import load_call_log
from fuse_tui.emulator.encoding import encode
from fuse_tui.emulator.generator import generate_calls

TERMS = (
    "hold",
    "billing",
    "balance",
    "goodbye",
    "disconnecting",
    "dtmf",
    "recording",
    "nosuchword",
)


def build(archive: Archive, target_events: int) -> tuple[int, int, float]:
    began = time.perf_counter()
    events = calls = 0
    batch = 0
    while events < target_events:
        for call in generate_calls(500, seed=batch, anchor=1_750_000_000):
            raw = encode(call.entries, "json")
            answer = StoredAnswer(raw, "json", load_call_log(raw, source="bench"))
            meta = {"src": call.src, "dest": call.dest, "start": call.start, "end": call.end}
            archive.store(answer, f"{call.session_id}#{batch}", meta)
            events += len(call.entries)
            calls += 1
            if events >= target_events:
                break
        batch += 1
    return calls, events, time.perf_counter() - began


def timed(fn: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - began) * 1000)
    return out


def write_dump(dump: Path, target_events: int) -> int:
    """An all_logs dump of about ``target_events`` events at ``dump``; its events."""
    calls: list[dict[str, object]] = []
    events = batch = 0
    while events < target_events:
        for call in generate_calls(500, seed=batch, anchor=1_750_000_000):
            detail = json.loads(encode(call.entries, "json"))
            calls.append(
                {
                    "session_id": f"{call.session_id}#{batch}",
                    "src": call.src,
                    "dest": call.dest,
                    "start": str(call.start),
                    "end": str(call.end),
                    "detail": detail,
                }
            )
            events += len(detail)
            if events >= target_events:
                break
        batch += 1
    dump.write_text(json.dumps({"calls": calls}))
    return events


# Imports timed, the best kept: on this 2-core VM one import of the same dump took 13.8, 14.0
# and 17.9 s in three runs minutes apart (the machine's other tenants; json.loads of it did not
# move as much).
IMPORT_RUNS = 2


def bench_import(target_events: int, dump: Path | None = None) -> None:
    """``archive import`` of one all_logs dump of about ``target_events`` events, into a new
    archive, :data:`IMPORT_RUNS` times, the best kept (each printed); the goal is 1M events in
    ≤ 15 s, i.e. ≤ 15 µs an event; the baseline is ``json.loads`` of the dump (the best of as
    many runs). ``dump``: the dump's path, written there unless it exists (then reused as it
    is, whatever its size: the same dump for runs to compare)."""
    folder = Path(tempfile.mkdtemp(prefix="fuse-bench-import-"))
    if dump is None:
        dump = folder / "all_logs.json"
    if dump.exists():
        events = sum(
            len(call.get("detail") or ()) for call in json.loads(dump.read_bytes())["calls"]
        )
    else:
        events = write_dump(dump, target_events)
    baselines, runs = [], []
    for attempt in range(IMPORT_RUNS):
        began = time.perf_counter()
        json.loads(dump.read_bytes())
        baselines.append(time.perf_counter() - began)
        path = folder / f"archive-{attempt}.sqlite3"
        with Archive.open(path) as archive:
            began, cpu, main = time.perf_counter(), time.process_time(), time.thread_time()
            result = import_file(archive, dump)
            seconds = time.perf_counter() - began
            cpu = time.process_time() - cpu
            # This thread's share: its Python and the index rebuild are the import's critical
            # path (the SQL of each batch and the compression run beside it, in other threads).
            main = time.thread_time() - main
        for made in folder.glob(f"{path.name}*"):  # hundreds of MB at 1M, and its WAL
            made.unlink()
        runs.append((seconds, cpu, main, len(result.stored)))
    shutil.rmtree(folder)  # a dump written there
    seconds, cpu, main, calls = min(runs)
    baseline = min(baselines)
    per_event = seconds / events * 1e6
    verdict = judged(per_event, 15)
    print(
        f"archive import of {calls:,} calls / {events:,} events, best of {IMPORT_RUNS} "
        f"({', '.join(f'{run[0]:.2f}' for run in runs)} s): {seconds:.2f} s "
        f"({per_event:.1f} µs an event, {seconds / baseline:.1f}x json.loads of the dump; "
        f"CPU {cpu:.2f} s in all threads, {main:.2f} s in the main one)"
    )
    print(f"goal ≤ 15 µs an event (1M in ≤ 15 s): {verdict}")


# `archive search` returning many hits, against the sqlite3 shell running the same SQL.
SHELL_TERMS = ("billing", "hold")
SHELL_LIMIT = 20_000
# Runs of each side, at least: the figures are ~20 and ~50 ms of CPU, and on this machine the
# ratio of medians of 7 moved from 1.8x to 2.5x between runs minutes apart (of 21: 2.3-2.6x).
SHELL_RUNS = 21


def _sql_literal(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def search_sql(term: str, limit: int, columns: str = queries.TABLE_COLUMNS) -> str:
    """The SQL ``archive search TERM --limit LIMIT`` runs for its table (``search_run.table_rows``:
    the columns it shows), its parameters written in."""
    sql, params, post = queries.search_plan_sql(term, columns, fts=True)
    assert post is None, "a word query is answered by SQL alone"
    sql += queries.search_order(term, fts=True) + " LIMIT ?"
    pieces = sql.split("?")
    assert len(pieces) == len(params) + 2
    values = [*params, limit]
    return "".join(
        piece + (_sql_literal(values[i]) if i < len(values) else "")
        for i, piece in enumerate(pieces)
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _shell_run(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``command``, its output thrown away (/dev/null)."""
    cpu = _children_cpu()
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began, _children_cpu() - cpu


def _cli_run(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``fuse-tui ARGV`` in this process, its stdout /dev/null as the
    shell's is (so its text is encoded and written, as into a pipe)."""
    saved = sys.stdout
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            began, cpu = time.perf_counter(), time.process_time()
            status = cli_main(argv)
            wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        finally:
            sys.stdout = saved
    assert status == 0
    return wall, cpu


def bench_search_vs_shell(path: Path, runs: int) -> None:
    """``fuse-tui archive search TERM --limit N`` (in process, stdout /dev/null) against
    ``sqlite3 -readonly DB SQL > /dev/null`` for the SQL the command runs, less the shell's own
    start (``SELECT 1``); the goal is ≤ 3x. The three are run in turn, ``runs`` times after one
    warm-up each (a warm cache for both); medians, wall and CPU. The verdict is the CPU ratio
    (on a busy machine wall time is mostly waiting). Both print every hit: the shell its
    columns raw with ``|``, fuse-tui the same columns formatted and aligned.

    Then, for information, the whole commands as a user runs them, each a new process: the
    interpreter's start and fuse-tui's imports against the shell's start."""
    shell = shutil.which("sqlite3")
    if shell is None:
        print("\nsearch vs the sqlite3 shell: no sqlite3 on PATH, skipped")
        return
    samples = max(runs, SHELL_RUNS)
    print(
        f"\narchive search, {SHELL_LIMIT:,} hits at most, vs the sqlite3 shell "
        f"(median of {samples}, alternating, wall / CPU):"
    )
    worst = 0.0
    for term in SHELL_TERMS:
        sql = search_sql(term, SHELL_LIMIT)
        argv = ["archive", "search", term, "--limit", str(SHELL_LIMIT), "--archive", str(path)]
        shell_start = [shell, "-readonly", str(path), "SELECT 1"]
        shell_query = [shell, "-readonly", str(path), sql]
        # Warm-up, and the truth: both find the same number of hits.
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink):
            assert cli_main(argv) == 0
        hits = sink.getvalue().count("\n")
        counted = subprocess.run(
            [shell, "-readonly", str(path), f"SELECT count(*) FROM ({sql})"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert int(counted) == hits, (counted, hits)
        _shell_run(shell_query)
        starts, shells, fuses = [], [], []
        for _ in range(samples):
            starts.append(_shell_run(shell_start))
            shells.append(_shell_run(shell_query))
            fuses.append(_cli_run(argv))
        shell_wall = statistics.median(q[0] for q in shells) - statistics.median(
            s[0] for s in starts
        )
        shell_cpu = statistics.median(q[1] for q in shells) - statistics.median(
            s[1] for s in starts
        )
        fuse_wall = statistics.median(f[0] for f in fuses)
        fuse_cpu = statistics.median(f[1] for f in fuses)
        wall_ratio = fuse_wall / max(shell_wall, 1e-6)
        cpu_ratio = fuse_cpu / max(shell_cpu, 1e-6)
        worst = max(worst, cpu_ratio)
        print(
            f"  {term!r:12} {hits:>7,} hits: fuse-tui {fuse_wall * 1000:6.1f} / "
            f"{fuse_cpu * 1000:6.1f} ms, sqlite3 {shell_wall * 1000:6.1f} / "
            f"{shell_cpu * 1000:6.1f} ms ({wall_ratio:.1f}x / {cpu_ratio:.1f}x)"
        )
    verdict = "met" if worst <= 3.0 else "NOT met"
    print(f"goal archive search ≤ 3x the sqlite3 shell (CPU): {verdict} (worst {worst:.1f}x)")
    _whole_commands(shell, path, runs)


def _whole_commands(shell: str, path: Path, runs: int) -> None:
    """The whole commands, each a new process, CPU medians (information, not the goal)."""
    term = SHELL_TERMS[0]
    sql = search_sql(term, SHELL_LIMIT)
    python = [sys.executable, "-m", "fuse_tui", "archive", "search", term, "--archive", str(path)]
    commands = {
        "sqlite3 DB SQL": [shell, "-readonly", str(path), sql],
        "python -c pass": [sys.executable, "-c", "pass"],
        "fuse-tui archive search --limit 1": [*python, "--limit", "1"],
        f"fuse-tui archive search --limit {SHELL_LIMIT}": [*python, "--limit", str(SHELL_LIMIT)],
    }
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            cpus[name].append(_shell_run(command)[1])
    print(f"whole commands, each a new process ({term!r}; CPU, median of {runs}):")
    for name, values in cpus.items():
        print(f"  {name:38} {statistics.median(values) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--import-only", action="store_true", help="only time `archive import` of a dump"
    )
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive at this path")
    parser.add_argument(
        "--dump", type=Path, help="the import's all_logs dump: written at this path, or reused"
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only time `archive search` against the sqlite3 shell (needs --keep ARCHIVE)",
    )
    args = parser.parse_args()
    if args.search_only:
        if args.keep is None:
            parser.error("--search-only needs --keep ARCHIVE")
        bench_search_vs_shell(args.keep, args.runs)
        return
    bench_import(args.events, args.dump)
    if args.import_only:
        return
    folder = tempfile.mkdtemp(prefix="fuse-bench-")
    path = args.keep or Path(folder) / "archive.sqlite3"
    with Archive.open(path) as archive:
        calls, events = archive.count()
        if events < args.events:
            print(f"building an archive of {args.events:,} events at {path} …", flush=True)
            new_calls, new_events, seconds = build(archive, args.events - events)
            print(
                f"built {new_calls:,} calls / {new_events:,} events in {seconds:.1f} s "
                f"({new_events / seconds:,.0f} events/s through Archive.store)"
            )
            calls, events = archive.count()
        archive._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = os.path.getsize(path)
        raw_bytes, stored_bytes = archive._conn.execute(
            "SELECT sum(coalesce(raw_size, length(raw))), sum(length(raw)) FROM calls"
        ).fetchone()
        print(f"archive: {calls:,} calls, {events:,} events, {size / 1e6:,.1f} MB on disk")
        print(
            f"bytes per event: {size / events:,.0f} on disk "
            f"(raw answers as served: {raw_bytes / events:,.0f}, stored compressed: "
            f"{stored_bytes / events:,.0f}; index and search rows: "
            f"{(size - stored_bytes) / events:,.0f})"
        )
        ratio = size / raw_bytes
        verdict = "met" if ratio <= 2.0 else "NOT met"
        print(f"goal archive on disk ≤ 2.0x the raw answers: {verdict} ({ratio:.2f}x)")
        print(f"\nterm query, limit 100 (median / worst of {args.runs} runs):")
        worst_median = 0.0
        for term in TERMS:
            hits = len(archive.search(term, limit=None)) if events <= 2_000_000 else -1
            times = timed(lambda t=term: archive.search(t, limit=100), args.runs)
            worst_median = max(worst_median, statistics.median(times))
            print(
                f"  {term!r:16} {hits:>9,} matching events   "
                f"{statistics.median(times):7.1f} ms / {max(times):7.1f} ms"
            )
        filtered = timed(lambda: archive.search("lookup", classes=["error"], limit=100), args.runs)
        print(f"  'lookup' --class error          {statistics.median(filtered):7.1f} ms")
        sessions = timed(lambda: archive.matching_sessions("billing"), 3)
        print(
            "  'billing' calls with a match (Archive screen)  "
            f"{statistics.median(sessions):7.1f} ms"
        )
        # Baseline: every match of a term, by FTS and by the LIKE scan used without FTS5.
        archive.fts_available = False
        like = timed(lambda: archive.search("goodbye", limit=None), 3)
        archive.fts_available = True
        fts = timed(lambda: archive.search("goodbye", limit=None), 3)
        print(
            f"\nall matches of 'goodbye': FTS {statistics.median(fts):.1f} ms, "
            f"LIKE scan {statistics.median(like):.1f} ms "
            f"({statistics.median(like) / statistics.median(fts):.1f}x)"
        )
        verdict = judged(worst_median, 200)
        print(
            f"goal ≤ 200 ms per term query at this size: {verdict} (slowest median "
            f"{worst_median:.1f} ms)"
        )
    bench_search_vs_shell(path, args.runs)


if __name__ == "__main__":
    main()
