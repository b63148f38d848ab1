"""TUI figures: launch → first painted rows for 1k/100k/1M events; key latency at 100k.

Run: ``.venv/bin/python benchmarks/bench_tui.py`` (add ``--sizes 1000,100000`` to skip 1M).
Each size runs in its own process so peak memory (ru_maxrss) is that size's alone. Headless
Textual (``App.run_test``), same code path as a terminal minus the terminal. Ratios are against
the goals of the issue (< 1.00 means within the goal) and against a same-run baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLASSES = ("info", "event", "debug", "prompt", "error")
GOALS = {1_000: None, 100_000: 1.0, 1_000_000: 8.0}


def write_dump(path: Path, count: int) -> None:
    start = 1_764_190_000
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for i in range(count):
            if i:
                out.write(",")
            cls = CLASSES[i % 5] if i % 50 else "error"
            entry = {
                "event": {
                    "line": f"Module {i % 37} step {i}: {'failed' if cls == 'error' else 'ok'}",
                    "data": {
                        "module_type": f"mod{i % 7}",
                        "result_variable": f"var_{i % 11}",
                        "prompt_id": str(845_000 + i),
                    },
                },
                "class": cls,
                "timestamp": start + i // 10,
            }
            out.write(json.dumps(entry))
        out.write("]")


async def measure_one(path: Path, count: int, keys: bool) -> dict[str, float]:
    from fuse_tui.ui.app import FuseApp
    from fuse_tui.ui.config import UiConfig
    from fuse_tui.ui.screens.main import Source

    started = time.perf_counter()
    app = FuseApp(UiConfig(), [Source("file", str(path))], osc52_writer=lambda _s: None)
    result: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            view = app.main.active_view
            if view is not None and len(view.event_list._line_cache) > 0:
                break
            await asyncio.sleep(0.005)
        result["first_rows_s"] = time.perf_counter() - started
        if keys:
            event_list = view.event_list

            async def timed(step: object, repeat: int) -> float:
                t0 = time.perf_counter()
                for _ in range(repeat):
                    if callable(step):
                        step()
                    await pilot.pause()
                return (time.perf_counter() - t0) / repeat * 1000

            # Baseline: one idle frame (Pilot's pause); every figure below is net of it.
            base = await timed(None, 30)
            result["baseline_frame_ms"] = base
            result["cursor_key_ms"] = await timed(lambda: event_list.action_cursor(1), 30) - base
            await pilot.pause(0.2)
            result["page_key_ms"] = await timed(lambda: event_list.action_page(1), 10) - base
            await pilot.pause(0.2)
            # g/G alternately, row cache emptied first: a screenful of rows rendered cold.
            jumps = iter([1, -1] * 5)

            def cold_jump() -> None:
                event_list._line_cache.clear()
                event_list.action_edge(next(jumps))

            result["jump_key_ms"] = await timed(cold_jump, 10) - base
            # Filter: the first one builds the search texts once; the next ones reuse them.
            # Regexes: a rare match, a common one, and one that matches every entry (the worst
            # case of the joined search, one match per entry).
            filters = {
                "filter_first_ms": ["failed"],
                "filter_regex_ms": ["re:step 9+$", "re:^(info|event)"],
                "filter_regex_all_ms": ["re:."],
                "filter_text_ms": ["!ok", "module 3", ""],  # ends with no filter, for the toggle
            }
            for name, texts in filters.items():
                result[name] = max(
                    [await timed(lambda t=text: view.apply_query(t), 1) - base for text in texts]
                )
            result["class_toggle_ms"] = (
                await timed(lambda: view.action_toggle_class("error"), 1) - base
            )
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def child(path: Path, count: int, keys: bool) -> None:
    figures = asyncio.run(measure_one(path, count, keys))
    figures["file_mb"] = path.stat().st_size / 1e6
    print(json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--child", type=int)
    parser.add_argument("--path", type=Path)
    parser.add_argument("--keys", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.path, args.child, args.keys)
        return 0
    tmp = tempfile.TemporaryDirectory()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    header = ("events", "file MB", "first rows s", "goal s", "ratio", "peak MB")
    print("{:>9} {:>8} {:>13} {:>7} {:>6} {:>8}".format(*header))
    key_figures: dict[str, float] = {}
    for count in sizes:
        # The dump is written by this process, so the child measures only the app.
        path = Path(tmp.name) / f"dump_{count}.json"
        write_dump(path, count)
        cmd = [sys.executable, __file__, "--child", str(count), "--path", str(path)]
        if count == 100_000:
            cmd.append("--keys")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        goal = GOALS.get(count)
        ratio = f"{figures['first_rows_s'] / goal:.2f}" if goal else "-"
        print(
            f"{count:>9,} {figures['file_mb']:>8.1f} {figures['first_rows_s']:>13.2f} "
            f"{goal if goal else '-':>7} {ratio:>6} {figures['peak_rss_mb']:>8.0f}"
        )
        if count == 100_000:
            key_figures = figures
        path.unlink()
    if key_figures:
        base = key_figures["baseline_frame_ms"]
        print(
            f"\nAt 100k events, ms net of an idle frame ({base:.1f} ms); "
            "goals: cursor ≤ 50, filter ≤ 150"
        )
        for name in (
            "cursor_key_ms",
            "page_key_ms",
            "jump_key_ms",
            "filter_first_ms",
            "filter_text_ms",
            "filter_regex_ms",
            "filter_regex_all_ms",
            "class_toggle_ms",
        ):
            value = key_figures[name]
            goal = 50.0 if "key" in name else 150.0
            print(
                f"  {name:<19} {value:8.1f}   {value / goal:5.2f}x goal   "
                f"{value / base:5.1f}x idle frame"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
