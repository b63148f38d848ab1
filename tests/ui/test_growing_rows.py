"""GrowingRows answers as EventRows does, for a log that grows and filters off the UI thread."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.model import KNOWN_CLASSES, LogEntry
from fuse_tui.core.query import Query
from fuse_tui.ui.growing_rows import GrowingRows
from fuse_tui.ui.rows import OTHER_CLASSES, EventRows
from tests.ui.conftest import CALL_START, entry

KINDS = [*KNOWN_CLASSES, "warning", "transfer", None]
HIDEABLE = [*KNOWN_CLASSES, "warning", "transfer", OTHER_CLASSES]
QUERIES = ["", "fail", "!fail", "re:^line [0-9]+ ok$", "mod3"]


def _entries(kinds: list[str | None]) -> list[LogEntry]:
    return [
        LogEntry.model_validate(
            entry(
                f"line {i} {'fail' if i % 3 == 0 else 'ok'}",
                kind,
                CALL_START + i,
                f"mod{i % 4}",
                f"v{i}",
            )
        )
        for i, kind in enumerate(kinds)
    ]


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), max_size=40),
    cut=st.integers(min_value=0, max_value=40),
    hidden=st.frozensets(st.sampled_from(HIDEABLE)),
    text=st.sampled_from(QUERIES),
    module=st.sampled_from([None, "mod1"]),
    indexed_first=st.booleans(),
    indexed_again=st.booleans(),
)
def test_a_log_read_in_two_pieces_filters_as_the_whole_log(
    kinds: list[str | None],
    cut: int,
    hidden: frozenset[str],
    text: str,
    module: str | None,
    indexed_first: bool,
    indexed_again: bool,
) -> None:
    """Indexed after the first piece only, the rows' numbers (what a class filter picks
    from) cover that piece only: the rest is picked all the same."""
    entries = _entries(kinds)
    whole = EventRows(list(entries))
    whole.apply(Query.parse(text), hidden, module)

    growing = GrowingRows(list(entries[:cut]))
    if indexed_first:
        growing.build_index()  # the index of the first piece is kept, not rebuilt
    growing.extend(entries[cut:])
    if indexed_again:
        growing.build_index()
    result = growing.filtered(Query.parse(text), hidden, module)
    assert result.visible == whole.visible
    assert result.covered == len(entries)
    assert growing.search_texts() == whole.search_texts()
    growing.show(result)
    assert growing.visible == whole.visible and not growing.stale


def test_filtered_leaves_the_rows_as_they_are() -> None:
    rows = GrowingRows(_entries(["info", "error", "info"]))
    rows.build_index()
    result = rows.filtered(Query.parse("fail"), {"error"})
    assert result.visible == [0]
    assert list(rows.visible) == [0, 1, 2] and rows.query.is_empty and not rows.hidden_classes


def test_entries_added_under_a_filter_wait_for_it() -> None:
    """Under a filter, extend does not run it over the whole log: the new rows wait (stale)
    until a filtered() result that covers them is shown."""
    rows = GrowingRows(_entries(["info", "error"]))
    rows.apply(hidden_classes={"info"})
    more = _entries(["info", "error", "info", "error"])[2:]
    rows.extend(more)
    assert rows.stale and rows.visible == [1]
    rows.show(rows.filtered())
    assert not rows.stale and rows.visible == [1, 3]


def test_a_result_older_than_the_rows_is_stale_only_under_a_filter() -> None:
    rows = GrowingRows(_entries(["info", "error"]))
    cleared = rows.filtered(Query())
    rows.extend(_entries(["info", "error", "event"])[2:])
    rows.show(cleared)  # no filter: every entry shows, the new one too
    assert list(rows.visible) == [0, 1, 2] and not rows.stale
    only_errors = rows.filtered(hidden_classes={"info", "event"})
    rows.extend(_entries(["info", "error", "event", "error"])[3:])
    rows.show(only_errors)
    assert rows.visible == [1] and rows.stale


def test_a_class_only_filter_is_answered_at_once() -> None:
    # The class codes come from the column of classes (no model, no index): built on demand.
    rows = GrowingRows(_entries(["info", "error", "event"]))
    assert rows.answers_at_once(Query(), set(), None)  # no filter at all: nothing to search
    assert rows.answers_at_once(Query(), {"info"}, None)
    assert not rows.answers_at_once(Query.parse("fail"), {"info"}, None)
    assert not rows.answers_at_once(Query(), {"info"}, "mod1")
    rows.extend(_entries(["info", "error", "event", "debug"])[3:])
    assert rows.answers_at_once(Query(), {"info"}, None)
    assert rows.filtered(hidden_classes={"info"}).visible == [1, 2, 3]
