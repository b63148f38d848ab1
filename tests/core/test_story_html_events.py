"""The HTML page's event list, written column by column (each distinct class, module, minute
and line escaped once), gives the rows the frozen reference writes entry by entry
(``tests/core/story_reference``): for any line (controls, quotes, markup, lone surrogates),
class, module and time, for models and for compact entries read from JSON, local and UTC."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import field_views
from fuse_tui.core.formats import load
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.story.render_html_events import escaped, escaped_lines, event_rows
from tests.core.log_strategies import ODD_TEXTS, json_timestamps
from tests.core.story_reference import render_html as reference_html

_TEXTS = st.one_of(
    st.sampled_from([*ODD_TEXTS, "\ue000", "x", "x"]),
    st.text(max_size=12),
)
_CLASSES = st.one_of(
    st.sampled_from(["info", "event", "error", "prompt", "debug", "x<y", "a\x1bb", None]),
    st.text(max_size=4),
)
_MODULES = st.one_of(st.none(), st.integers(-3, 3), _TEXTS)
_STAMPS = st.one_of(
    json_timestamps,
    st.integers(1_711_846_000, 1_711_848_000),  # around a DST change in Europe
    st.sampled_from([10**18, -5, 2**70, 1_750_000_000_123, True]),
)


@st.composite
def _entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    entries = []
    for _ in range(draw(st.integers(0, 12))):
        data = None
        module = draw(_MODULES)
        if module is not None:
            data = {"module_type": module}
        entry: dict[str, Any] = {"event": {"line": draw(_TEXTS), "data": data}}
        kind = draw(_CLASSES)
        if kind is not None:
            entry["class"] = kind
        entry["timestamp"] = draw(_STAMPS)
        entries.append(entry)
    return entries


def _reference_rows(log: CallLog, utc: bool) -> list[str]:
    lines = list(reference_html._story_html(_no_story(), log, 1, utc=utc))
    start = lines.index('<table class="events">') + 1
    return lines[start : len(lines) - 2]


def _no_story() -> Any:
    from tests.core.story_reference.build import build_story

    return build_story(CallLog(entries=[]))


@settings(max_examples=300, deadline=None)
@given(_entries(), st.booleans())
def test_event_rows_are_the_reference_rows(entries: list[dict[str, Any]], utc: bool) -> None:
    models = CallLog(entries=[LogEntry.model_validate(e) for e in entries])
    read = load(json.dumps(entries).encode(), source="t").logs[0]
    assert isinstance(read, CallLog)
    for log in (models, read):
        expected = _reference_rows(log, utc)
        assert event_rows(log.entries, None, utc=utc) == expected
        assert event_rows(log.entries, field_views(log.entries), utc=utc) == expected


@given(st.lists(_TEXTS, max_size=20))
def test_lines_escaped_once_each_are_each_line_escaped(lines: list[str]) -> None:
    assert escaped_lines(lines) == [reference_html._h(line) for line in lines]
    assert [escaped(line) for line in lines] == [reference_html._h(line) for line in lines]


def test_a_minute_written_from_its_text_reads_so_at_every_second(monkeypatch: Any) -> None:
    """Around DST changes, half-hour zones and Monrovia's offset in seconds (until 1972):
    where a minute's head is used, every second of it is what format_timestamp writes."""
    import time

    from fuse_tui.core.story.render_html_events import _minute_head
    from fuse_tui.core.timestamps import format_timestamp

    bases = (63_072_000, 1_711_846_800, 1_729_990_800, 1_712_412_000, -2_000_000_000, 0)
    for zone in ("Africa/Monrovia", "Europe/Amsterdam", "America/St_Johns", "Australia/Lord_Howe"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        try:
            used = 0
            for base in bases:
                for minute in range(base - base % 60 - 7200, base + 7200, 60):
                    for utc in (False, True):
                        head = _minute_head(minute, utc)
                        if head is None:
                            continue
                        used += 1
                        for second in range(60):
                            stamp = minute + second
                            assert format_timestamp(stamp, utc=utc) == f"{head}{second:02d}"
            assert used > 0
        finally:
            monkeypatch.undo()
            time.tzset()
