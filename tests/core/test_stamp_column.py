"""The timestamp column answers what the list of timestamps it replaces would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.model import LogEntry
from fuse_tui.core.stamp_column import StampColumn, stamp_column

# Ordinary seconds and milliseconds, the int64 edges, beyond them, and no timestamp at all.
STAMPS = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=2**63, max_value=2**80),
    st.integers(max_value=-(2**63)),
    st.sampled_from([-(2**63), -(2**63) + 1, 2**63 - 1, 1_529_552_581, 1_529_552_581_123]),
)


def _present(stamps: list[int | None]) -> list[int]:
    return [stamp for stamp in stamps if stamp is not None]


@given(st.lists(STAMPS, max_size=40), st.lists(STAMPS, max_size=40))
def test_the_column_reads_as_the_list(first: list[int | None], second: list[int | None]) -> None:
    column = StampColumn.of(first)
    column.append_all(StampColumn.of(second))
    expected = first + second
    assert len(column) == len(expected)
    assert list(column) == expected
    assert [column[i] for i in range(len(expected))] == expected
    assert [column[-i] for i in range(1, len(expected) + 1)] == [
        expected[-i] for i in range(1, len(expected) + 1)
    ]
    assert column[1:7:2] == expected[1:7:2]
    assert list(column.present()) == _present(expected)
    present = _present(expected)
    assert column.bounds() == ((min(present), max(present)) if present else None)


@given(st.lists(STAMPS, max_size=30))
def test_plain_stamps_appended_one_by_one_read_back(stamps: list[int | None]) -> None:
    column = StampColumn()
    for stamp in stamps:
        column.append_all([stamp])
    assert list(column) == stamps


@given(st.lists(STAMPS, max_size=30))
def test_compact_entries_give_the_same_column_as_models(stamps: list[int | None]) -> None:
    models = [LogEntry.model_validate({"class": "info", "timestamp": s}) for s in stamps]
    compact = CompactEntries(models)
    assert list(stamp_column(compact)) == [entry.timestamp for entry in models]
    assert list(stamp_column(models)) == [entry.timestamp for entry in models]
