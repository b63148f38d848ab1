def test_extend_adds_rows_counts_and_span_and_keeps_the_filter() -> None:
    from fuse_tui.core.model import LogEntry
    from fuse_tui.core.query import Query
    from fuse_tui.ui.rows import EventRows

    def entry(i: int, kind: str) -> LogEntry:
        return LogEntry.model_validate(
            {"event": {"line": f"l{i}"}, "class": kind, "timestamp": 100 + i}
        )

    rows = EventRows([entry(0, "info"), entry(1, "error")])
    rows.extend([entry(2, "error"), entry(3, "info")])
    assert len(rows) == 4 and rows.counts["error"] == 2 and rows.end == 103
    rows.apply(query=Query.parse("l4"))
    rows.extend([entry(4, "debug")])
    assert [rows.entry(r).event.line for r in range(len(rows))] == ["l4"]


def _compact_rows(items: list[dict[str, object]]) -> tuple[object, list[object]]:
    import json

    from fuse_tui.core.entries import CompactEntries
    from fuse_tui.core.formats import LogsDocument, load
    from fuse_tui.ui.rows import EventRows

    document = load(json.dumps(items).encode(), source="t")
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    assert isinstance(entries, CompactEntries)
    return EventRows(entries), list(entries)


ITEMS: list[dict[str, object]] = [
    {"event": {"line": "alpha", "data": {"module_type": "m1"}}, "class": "info", "timestamp": 5},
    {"event": {"line": "bravo", "data": {"module_type": "m2"}}, "class": "error", "timestamp": 3},
    {"event": {"line": "charlie"}, "class": "warning", "timestamp": 9},
    {"event": {"line": "delta", "data": {"module_type": "m1"}}, "timestamp": None},
    {"event": {"line": "echo"}, "class": "debug", "timestamp": 7},
]


def test_compact_entries_filter_by_class_module_and_query_as_models_do() -> None:
    from fuse_tui.core.query import Query, search_text
    from fuse_tui.ui.rows import OTHER_CLASSES, EventRows

    rows, models = _compact_rows(ITEMS)
    plain = EventRows(models)  # type: ignore[arg-type]
    assert isinstance(rows, EventRows)
    assert rows.counts == plain.counts and (rows.start, rows.end) == (3, 9)
    assert rows.search_texts() == [search_text(e) for e in models]  # type: ignore[arg-type]
    for hidden in ({"error"}, {OTHER_CLASSES}, {"info", OTHER_CLASSES}, {"unknown"}):
        rows.apply(hidden_classes=hidden)
        plain.apply(hidden_classes=hidden)
        assert rows.visible == plain.visible
    rows.apply(hidden_classes=(), module="m1", query=Query.parse("delta"))
    assert rows.visible == [3]
    rows.apply(module=None, query=Query())
    assert rows.find(0, 1, "error") == 1
    assert rows.timestamp(2) == 9 and rows.kind(3) == "unknown"


def test_extending_compact_entries_keeps_the_columns() -> None:
    from fuse_tui.ui.rows import EventRows

    rows, _ = _compact_rows(ITEMS[:2])
    more, _ = _compact_rows(ITEMS[2:])
    assert isinstance(rows, EventRows) and isinstance(more, EventRows)
    rows.apply(hidden_classes={"info"})
    rows.extend(more.entries)
    assert len(rows.entries) == 5 and rows.visible == [1, 2, 3, 4]
    assert rows.counts["warning"] == 1 and rows.end == 9
    assert [rows.entry(r).event.line for r in range(len(rows))] == [
        "bravo",
        "charlie",
        "delta",
        "echo",
    ]
