"""Fuzz the readers, writers and archive import with mutated real and generated dumps.

    .venv/bin/python -m tests.fuzz.run --seconds 60        # what `make fuzz` runs
    .venv/bin/python -m tests.fuzz.run --cases 300 --seed 1 --in-process

Each case runs in a worker process, so that a hang (over ``--case-seconds``) or a memory
blow-up (resident memory over ``--rss-mb``) is caught: the worker is killed and replaced, and the
case counted as a failure. Failing inputs are saved in ``--out`` (one ``.bin`` per case, with a
``.txt`` saying what went wrong). Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tests.fuzz.check import Checker, Finding, KnownIssue
from tests.fuzz.corpus import generated_seeds, real_seeds
from tests.fuzz.mutate import mutate

DEFAULT_SECONDS = 60.0
CASE_SECONDS = 30.0
SECONDS_PER_INPUT_MB = 5.0
RSS_MB = 1500
# A case may peak at BASE_RSS_MB + RSS_PER_INPUT_MB x its size (a 200 MB JSON log reads at
# ~1.3 GB, 6.5x; a 3 MB file of 1M {} once took 790 MB, 260x).
BASE_RSS_MB = 400
RSS_PER_INPUT_MB = 40
# A hard backstop on the worker's address space (the machine is shared): ~2.5x the RSS cap.
ADDRESS_SPACE_FACTOR = 2.5


# Marks a KnownIssue's text on its way from a worker.
KNOWN = "known: "


@dataclass
class Case:
    number: int
    seed_name: str
    mutation: str
    data: bytes


@dataclass
class Summary:
    tried: int = 0
    read: int = 0
    refused: int = 0
    failures: list[tuple[Case, str]] = field(default_factory=list)
    known: Counter[str] = field(default_factory=Counter)

    def add(self, case: Case, outcome: str, problem: str | None) -> None:
        self.tried += 1
        if problem is not None and problem.startswith(KNOWN):
            self.known[problem.removeprefix(KNOWN)] += 1
        elif problem is not None:
            self.failures.append((case, problem))
        elif outcome == "read":
            self.read += 1
        else:
            self.refused += 1

    def report(self) -> str:
        kinds = Counter(_signature(problem) for _, problem in self.failures)
        lines = [
            f"cases tried: {self.tried}, clean: {self.read + self.refused} "
            f"(read {self.read}, refused with a typed error {self.refused}), "
            f"failures: {len(self.failures)} ({len(kinds)} distinct)"
        ]
        lines += [f"  {count:5d} x {kind}" for kind, count in kinds.most_common()]
        if self.known:
            lines.append(f"known issues (reported, not counted as failures): {self.known.total()}")
            lines += [f"  {count:5d} x {kind}" for kind, count in self.known.most_common()]
        return "\n".join(lines)


def _signature(problem: str) -> str:
    return problem.splitlines()[0][:160]


def cases(seed: int, *, heavy: bool = True) -> Any:
    """An endless, reproducible stream of cases (``heavy``: see ``mutate``)."""
    rng = random.Random(seed)
    seeds = real_seeds()
    number = 0
    while True:
        if number % 50 == 0:
            pool = seeds + generated_seeds(rng)
        seed_name, data = rng.choice(pool)
        mutation, mutated = mutate(rng, data, heavy=heavy)
        yield Case(number, seed_name, mutation, mutated)
        number += 1


# --- in-process (the pytest slice) --------------------------------------------------------------


def run_in_process(
    count: int, seed: int, case_seconds: float = CASE_SECONDS, *, heavy: bool = True
) -> Summary:
    summary = Summary()
    checker = Checker()
    try:
        for case in _take(cases(seed, heavy=heavy), count):
            started = time.monotonic()
            try:
                outcome, problem = checker.run(case.data), None
            except Finding as exc:
                outcome, problem = "", _problem(exc)
            elapsed = time.monotonic() - started
            if problem is None and elapsed > case_limit(case_seconds, case.data):
                problem = f"slow: {elapsed:.1f} s for one case"
            summary.add(case, outcome, problem)
    finally:
        checker.close()
    return summary


def case_limit(case_seconds: float, data: bytes) -> float:
    """The time one case may take: more for big inputs (every writer and an import run)."""
    return case_seconds + SECONDS_PER_INPUT_MB * len(data) / (1 << 20)


def _problem(exc: Finding) -> str:
    return f"{KNOWN}{exc}" if isinstance(exc, KnownIssue) else str(exc)


def _take(stream: Any, count: int) -> Any:
    for _, item in zip(range(count), stream, strict=False):
        yield item


# --- worker processes ---------------------------------------------------------------------------


def _worker(conn: Connection, address_space: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    except (ImportError, ValueError, OSError):
        pass
    checker = Checker()
    while True:
        data = conn.recv()
        if data is None:
            break
        _reset_peak_rss()
        try:
            outcome = checker.run(data)
            conn.send(("ok", f"{outcome} {_peak_rss_mb()}"))
        except Finding as exc:
            conn.send(("fail", _problem(exc)))
        except MemoryError:
            conn.send(("fail", "memory blow-up: MemoryError"))
        except BaseException as exc:
            conn.send(("fail", f"{type(exc).__name__}: {str(exc)[:300]}"))
    checker.close()


class Worker:
    def __init__(self, rss_mb: int) -> None:
        self.rss_mb = rss_mb
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        limit = int(rss_mb * ADDRESS_SPACE_FACTOR) << 20
        self.process = context.Process(target=_worker, args=(child, limit), daemon=True)
        self.process.start()

    def run(self, data: bytes, case_seconds: float) -> tuple[str, str | None]:
        self.conn.send(data)
        deadline = time.monotonic() + case_limit(case_seconds, data)
        while not self.conn.poll(0.1):
            if not self.process.is_alive():
                return "", f"the worker died (exit status {self.process.exitcode})"
            if time.monotonic() > deadline:
                return "", f"hang: no answer within {case_limit(case_seconds, data):.0f} s"
            rss = _rss_mb(self.process.pid)
            if rss > self.rss_mb:
                return "", f"memory blow-up: {rss} MB resident"
        status, detail = self.conn.recv()
        if status != "ok":
            return "", detail
        outcome, peak = detail.split()
        allowed = min(self.rss_mb, BASE_RSS_MB + RSS_PER_INPUT_MB * len(data) // (1 << 20))
        if int(peak) > allowed:
            size = len(data) / (1 << 20)
            return "", f"memory blow-up: {peak} MB peak for {size:.1f} MB of input"
        return outcome, None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


def _rss_mb(pid: int | str | None, field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) >> 10
    except (OSError, ValueError):
        pass
    return 0


def _reset_peak_rss() -> None:
    """Start counting the peak resident memory afresh (Linux: 5 > /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        pass


def _peak_rss_mb() -> int:
    return _rss_mb("self", "VmHWM")


def run_in_workers(
    seconds: float, seed: int, case_seconds: float, rss_mb: int, max_cases: int | None
) -> Summary:
    summary = Summary()
    deadline = time.monotonic() + seconds
    worker = Worker(rss_mb)
    try:
        for case in cases(seed):
            if time.monotonic() > deadline or (
                max_cases is not None and summary.tried >= max_cases
            ):
                break
            outcome, problem = worker.run(case.data, case_seconds)
            if problem is not None and not outcome and _needs_new_worker(problem):
                worker.stop()
                worker = Worker(rss_mb)
            summary.add(case, outcome, problem)
    finally:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
        worker.stop()
    return summary


def _needs_new_worker(problem: str) -> bool:
    return problem.startswith(("hang:", "memory blow-up", "the worker died", "MemoryError"))


def save_failures(summary: Summary, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case, problem in summary.failures:
        stem = f"case-{case.number:06d}"
        (folder / f"{stem}.bin").write_bytes(case.data)
        (folder / f"{stem}.txt").write_text(
            f"seed file: {case.seed_name}\nmutations: {case.mutation}\nproblem: {problem}\n",
            encoding="utf-8",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
    parser.add_argument("--cases", type=int, default=None, help="stop after this many cases")
    parser.add_argument("--seed", type=int, default=None, help="default: random, printed")
    parser.add_argument("--case-seconds", type=float, default=CASE_SECONDS)
    parser.add_argument("--rss-mb", type=int, default=RSS_MB)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--in-process", action="store_true", help="no worker (no hang guard)")
    args = parser.parse_args(argv)
    seed = random.randrange(1 << 30) if args.seed is None else args.seed
    print(f"fuzz: seed {seed}, up to {args.seconds:.0f} s", flush=True)
    if args.in_process:
        summary = run_in_process(args.cases or 300, seed, args.case_seconds)
    else:
        summary = run_in_workers(args.seconds, seed, args.case_seconds, args.rss_mb, args.cases)
    print(summary.report())
    if summary.failures:
        save_failures(summary, args.out)
        print(f"failing inputs saved in {args.out}/ (replay: --seed {seed})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
