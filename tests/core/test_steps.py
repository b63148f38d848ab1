"""core.steps: a call read as its modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.model import LogEntry
from fuse_tui.core.steps import split_steps

SEED = Path(__file__).parents[1] / "data" / "seed_call.json"


def _entry(module: str | None, var: str | None, ts: Any = 100, kind: str = "info") -> LogEntry:
    data: dict[str, Any] = {}
    if module is not None:
        data["module_type"] = module
    if var is not None:
        data["result_variable"] = var
    return LogEntry.model_validate(
        {"event": {"line": "x", "data": data or None}, "class": kind, "timestamp": ts}
    )


def test_the_seed_call_walks_its_modules() -> None:
    entries = [LogEntry.model_validate(e) for e in json.loads(SEED.read_text())]
    steps = split_steps(entries)
    assert [s.label for s in steps] == [
        "start",
        "prompt (var_0)",
        "email (var_1)",
        "prompt (var_2)",
        "exit (hangup)",
    ]
    assert [(s.first, s.last) for s in steps] == [(0, 0), (1, 1), (2, 3), (4, 4), (5, 6)]
    assert steps[0].duration(steps[1].start) == 0
    assert steps[1].duration(steps[2].start) == 2


def test_entries_without_a_module_stay_in_the_step_they_stand_in() -> None:
    steps = split_steps([_entry(None, None), _entry("menu", "m"), _entry(None, None)])
    assert [(s.module, s.first, s.last) for s in steps] == [(None, 0, 0), ("menu", 1, 2)]


def test_errors_and_times_are_counted_per_step_in_any_unit() -> None:
    steps = split_steps(
        [_entry("rest", "r", 1_600_000_000_000, "error"), _entry("rest", "r", 1_600_000_005)]
    )
    assert steps[0].error_count == 1 and steps[0].start == 1_600_000_000
    assert steps[0].end == 1_600_000_005 and steps[0].duration() == 5


def test_a_time_that_is_no_time_is_left_out() -> None:
    steps = split_steps([_entry("a", "a", None), _entry("a", "a", 7)])
    assert steps[0].start == 7 and steps[0].entry_count == 2


@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from(["x", None]))))
def test_steps_cover_every_entry_once_in_order(pairs: list[tuple[str | None, str | None]]) -> None:
    entries = [_entry(m, v) for m, v in pairs]
    steps = split_steps(entries)
    covered = [i for s in steps for i in range(s.first, s.last + 1)]
    assert covered == list(range(len(entries)))
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))
