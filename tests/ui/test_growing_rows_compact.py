"""GrowingRows over compact entries (as a file is read: in pieces, entries of odd shapes kept
as models among the rest) indexes and filters exactly as over the models themselves."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, load
from fuse_tui.core.formats.shape import interpret
from fuse_tui.core.model import KNOWN_CLASSES, LogEntry
from fuse_tui.core.query import Query, QueryError, search_text
from fuse_tui.ui.growing_rows import GrowingRows
from fuse_tui.ui.rows import OTHER_CLASSES, EventRows
from tests.core.log_strategies import json_entries

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUERIES = ["", "a", "!a", "re:^.{0,3}$", "re:\\d", "class:info", "0", "null"]
HIDEABLE = [*KNOWN_CLASSES, "unknown", OTHER_CLASSES]


def _compact(items: list[Any]) -> tuple[CompactEntries, list[LogEntry]] | None:
    text = json.dumps(items)
    try:
        document = interpret(json.loads(text), "t", "json")
    except FormatError:
        return None
    read = load(text.encode(), source="t")
    assert isinstance(document, LogsDocument) and isinstance(read, LogsDocument)
    entries = read.logs[0].entries
    if not isinstance(entries, CompactEntries):
        return None  # the slow road read it: not this test's subject
    return entries, list(document.logs[0].entries)


@SETTINGS
@given(
    json_entries,
    st.integers(0, 8),
    st.sampled_from(QUERIES),
    st.frozensets(st.sampled_from(HIDEABLE)),
    st.one_of(st.none(), st.sampled_from(["m", "", "1"])),
    st.booleans(),
)
def test_compact_rows_read_in_pieces_filter_as_the_models(
    items: list[Any],
    cut: int,
    text: str,
    hidden: frozenset[str],
    module: str | None,
    indexed_first: bool,
) -> None:
    read = _compact(items)
    if read is None:
        return
    entries, models = read
    growing = GrowingRows(entries[:cut])
    if indexed_first:
        growing.build_index()
    growing.extend(entries[cut:])
    growing.build_index()
    # The index's texts are search_text of each model, whatever the entry's shape.
    assert growing.search_texts() == [search_text(m) for m in models]

    whole = EventRows(models)
    query = Query.parse(text)
    try:
        whole.apply(query, hidden, module)
    except QueryError:
        return
    result = growing.filtered(query, hidden, module, cancelled=lambda: False)
    assert result.visible == whole.visible
    assert result.covered == len(models)
    assert GrowingRows(entries).filtered(query, hidden, module).visible == whole.visible


def test_a_filter_asked_for_before_the_index_builds_what_it_needs() -> None:
    items = [{"event": {"line": f"line {i}"}, "class": "info"} for i in range(20)]
    read = _compact(items)
    assert read is not None
    entries, models = read
    rows = GrowingRows(entries[:5])
    rows.extend(entries[5:])
    assert rows.indexed == 0  # nothing indexed while a log is read
    assert rows.filtered(Query.parse("line 1")).visible == [1, *range(10, 20)]
    assert rows.search_texts() == [search_text(m) for m in models]
