"""Speed of ``Query.select`` (the TUI filter, mark mode) over many search texts, against a bare
``"word" in text.lower()`` loop over the same texts.

    .venv/bin/python benchmarks/bench_query.py                 # 100k and 1M texts, ~30 s
    .venv/bin/python benchmarks/bench_query.py --sizes 100000 --repeat 5

The texts are ``search_text`` of synthetic entries (``synth.py``); 1M is the 100k texts ten
times over (a new list: the select's lowered copy is rebuilt for it), which keeps the run short.
For each size and query it prints the best-of-N time in ms and its ratio to the baseline of the
same run. "cold" is the first select over a list of texts (it lowers them once); later ones,
as the TUI makes at each keystroke, reuse that copy. "prepare" is that lowering done ahead, as
the TUI's index builder does in its thread (then the first keystroke costs what the next do),
with the memory the copy takes. Goals: words and field terms <= 100 ms at
100k and <= 300 ms at 1M; a regex <= 500 ms at 1M.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synth_json

from fuse_tui.core.formats import load_call_log
from fuse_tui.core.query import Query, prepare, search_text

QUERIES = [
    ("word", "billing"),
    ("two words", "billing !timeout"),
    ("phrase", '"main menu"'),
    ("builtin field", "class:error module:rest"),
    ("data field", "status:200"),
    ("numeric", "revision_id>55000"),
    ("field + word", "url:customers/4 get"),
    ("regex", "re:customers/\\d+5$"),
]
GOALS_MS = {100_000: 100.0, 1_000_000: 300.0}
REGEX_GOAL_MS = {1_000_000: 500.0}


def best_ms(action: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def run_size(texts: list[str], repeat: int) -> bool:
    """Print the figures for one list of texts; True if a goal was missed."""
    size = len(texts)
    baseline = best_ms(lambda: [i for i, t in enumerate(texts) if "billing" in t.lower()], 3)
    print(f"\n{size:,} texts: baseline 'billing' in text.lower() {baseline:7.1f} ms")
    cold_texts = list(texts)
    cold = best_ms(lambda: Query.parse("billing").select(cold_texts), 1)
    print(f"  {'word, cold':<16}{'billing':<28}{cold:8.1f} ms  {cold / baseline:5.2f}x")
    ahead = list(texts)
    took = best_ms(lambda: prepare(ahead), 1)
    first = best_ms(lambda: Query.parse("billing").select(ahead), 1)
    text_mb = sum(map(sys.getsizeof, texts)) / 1e6
    copy_mb = text_mb + sys.getsizeof(texts) / 1e6 * 2  # the lowered texts, their lists
    print(f"  {'prepare':<44}{took:8.1f} ms  (the copy: ~{copy_mb:.0f} MB; texts {text_mb:.0f} MB)")
    print(f"  {'word, prepared':<16}{'billing':<28}{first:8.1f} ms  {first / baseline:5.2f}x")
    failed = False
    for name, text in QUERIES:
        query = Query.parse(text)
        kept = len(query.select(texts))
        took = best_ms(lambda q=query: q.select(texts), repeat)  # type: ignore[misc]
        goal = (REGEX_GOAL_MS if name == "regex" else GOALS_MS).get(size)
        verdict = "" if goal is None else ("  ok" if took <= goal else f"  OVER {goal:.0f}")
        failed |= verdict.startswith("  OVER")
        print(
            f"  {name:<16}{text:<28}{took:8.1f} ms  {took / baseline:5.2f}x"
            f"  ({kept:,} kept){verdict}"
        )
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Query.select speed vs a bare substring loop.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    base = min(100_000, max(args.sizes))
    log = load_call_log(synth_json(base, seed=args.seed), source="synth.json")
    unique = [search_text(entry) for entry in log.entries]
    print(f"Python {sys.version.split()[0]}; best of {args.repeat}; seed {args.seed}")
    failed = False
    for size in args.sizes:
        failed |= run_size((unique * (size // len(unique) + 1))[:size], args.repeat)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
