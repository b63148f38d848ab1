"""The story of a 100k-event call (``fuse-tui summary``): goal ≤ 1 s, beside reading the file.

    .venv/bin/python benchmarks/bench_story.py                 # 100k events
    .venv/bin/python benchmarks/bench_story.py --events 20000

The call is the emulator's generated calls strung together into one (their exits dropped, their
clocks running on): menus, digits, REST lookups, recordings, transfers, errors and hold loops,
so every part of the builder works. Timed: ``build_story`` alone, then the story built and told
in each output format as ``fuse-tui summary --format F`` tells it (the HTML page from the field
views the story was built from), each the best of three runs in CPU seconds, each against the
goal; the ratio is against reading the same file in the same run.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuse_tui.cli.summary_cmd import _write_lines, utf8_lines
from fuse_tui.core.formats import load_file
from fuse_tui.core.model import CallLog
from fuse_tui.core.story import build_story
from fuse_tui.core.story.build import build_story_and_views
from fuse_tui.core.story.render_html import stories_html
from fuse_tui.core.story.render_json import stories_json
from fuse_tui.core.story.render_markdown import stories_markdown
from fuse_tui.core.story.render_text import stories_text
from fuse_tui.emulator.generator import generate_calls

GOAL_SECONDS = 1.0


def one_long_call(events: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    clock = 1_750_000_000
    seed = 0
    while len(entries) < events:
        for call in generate_calls(200, seed=seed, anchor=1_750_000_000):
            body = [e for e in call.entries if e["event"]["data"]["module_type"] != "exit"]
            base = body[0]["timestamp"] if body else 0
            for entry in body:
                entries.append({**entry, "timestamp": clock + entry["timestamp"] - base})
            clock = entries[-1]["timestamp"] + 3 if entries else clock
            if len(entries) >= events:
                break
        seed += 1
    return entries[:events]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The best of ``runs`` in CPU seconds of this process: on a shared machine the wall clock
    measures the neighbours too (the wall figure of the last run is printed beside it)."""
    times = []
    for _ in range(runs):
        began = time.process_time()
        work()
        times.append(time.process_time() - began)
    return min(times)


def wall(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long_call.json"
        path.write_text(json.dumps(one_long_call(args.events)), encoding="utf-8")
        document = load_file(str(path))
        log: CallLog = document.logs[0]  # type: ignore[union-attr]
        read = best_of(3, lambda: load_file(str(path)))
    story = build_story(log)
    build = best_of(3, lambda: build_story(log))
    told = {name: best_of(3, lambda tell=tell: tell(log)) for name, tell in FORMATS.items()}
    text_wall = wall(lambda: _text(log))
    print(f"events: {len(log.entries):,}  steps: {len(story.steps):,}  ending: {story.ending.kind}")
    print("CPU seconds, best of 3:")
    print(f"  read the file:          {read:6.3f} s")
    print(f"  build the story:        {build:6.3f} s  ({build / read:.2f}x reading)")
    for name, seconds in told.items():
        verdict = "OK" if seconds <= GOAL_SECONDS else "OVER"
        print(
            f"  build + {name + ' output:':15}{seconds:6.3f} s  ({seconds / read:.2f}x reading)"
            f"  goal ≤ {GOAL_SECONDS:.1f} s: {verdict}"
        )
    print(f"wall clock, build + text output once: {text_wall:.3f} s")
    worst = max(told.values())
    verdict = "OK" if worst <= GOAL_SECONDS else "OVER"
    print(f"goal ≤ {GOAL_SECONDS:.1f} s for every format: {verdict} (slowest {worst:.3f} s)")
    return 0 if worst <= GOAL_SECONDS else 1


# Each output as `fuse-tui summary --format F` makes it, up to the bytes it writes (its own
# writers: text and markdown in batches of lines to a UTF-8 stream, the HTML page in batches).
def _written(lines: Iterable[str]) -> bytes:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace")
    _write_lines(out, lines)
    return raw.getvalue()


def _text(log: CallLog) -> bytes:
    return _written(stories_text([build_story(log)]))


def _markdown(log: CallLog) -> bytes:
    return _written(stories_markdown([build_story(log)]))


def _json(log: CallLog) -> bytes:
    return stories_json([build_story(log)], 5).encode()


def _html(log: CallLog) -> bytes:
    story, views = build_story_and_views(log)
    return utf8_lines(stories_html([story], [log], entries=[views]))


FORMATS: dict[str, Callable[[CallLog], bytes]] = {
    "text": _text,
    "markdown": _markdown,
    "json": _json,
    "html": _html,
}


if __name__ == "__main__":
    raise SystemExit(main())
