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
