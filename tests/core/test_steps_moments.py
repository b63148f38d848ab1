"""core.steps.entry_moments: each entry's moment read once, as core.timestamps reads it; the
fast path for a log all in seconds gives the same answer as reading every entry."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.model import LogEntry
from fuse_tui.core.steps import entry_moments, split_steps
from fuse_tui.core.timestamps import epoch_seconds


def _entries(stamps: list[Any]) -> list[LogEntry]:
    return [
        LogEntry.model_validate(
            {"event": {"line": "x", "data": {"module_type": f"m{i % 3}"}}, "timestamp": stamp}
        )
        for i, stamp in enumerate(stamps)
    ]


STAMPS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**21),
    st.integers(1_500_000_000, 1_800_000_000),
    st.integers(1_500_000_000_000, 1_800_000_000_000),  # milliseconds
)


@given(st.lists(STAMPS, max_size=12))
def test_moments_are_core_timestamps_reading(stamps: list[Any]) -> None:
    entries = _entries(stamps)
    assert entry_moments(entries) == [epoch_seconds(e.timestamp) for e in entries]


def test_bools_between_seconds_are_no_times() -> None:
    # The model reads a JSON true as 1; an entry built without validation can hold True, which
    # min/max see as 1: the fast path must not take it for the second 1.
    entries = [LogEntry.model_construct(timestamp=stamp) for stamp in (0, True, 100, None)]
    assert entry_moments(entries) == [0, None, 100, None]


def test_mixed_units_are_read_one_by_one() -> None:
    entries = _entries([1_529_552_692, 1_529_552_693_000])
    assert entry_moments(entries) == [1_529_552_692, 1_529_552_693]


@given(st.lists(STAMPS, max_size=12))
def test_split_steps_is_the_same_with_or_without_moments(stamps: list[Any]) -> None:
    entries = _entries(stamps)
    assert split_steps(entries) == split_steps(entries, entry_moments(entries))
