"""The story's fast paths tell, word for word, what the code before them told.

``tests/core/story_reference`` holds the builder, the renderers and ``core.steps`` as they were
before they were made fast (a 100k-event call's summary in under a second): every story and
every output (text, markdown, JSON, HTML; local and UTC; several gaps) must be the same string,
for odd logs (Hypothesis), for models and for compact entries read from JSON, and for long
generated calls.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries, field_views
from fuse_tui.core.formats import load
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.steps import Step, entry_moments, split_steps
from fuse_tui.core.story import build_story
from fuse_tui.core.story.build import build_story_and_views
from fuse_tui.core.story.model import StoryStep
from fuse_tui.core.story.render_html import stories_html
from fuse_tui.core.story.render_json import stories_json
from fuse_tui.core.story.render_markdown import stories_markdown
from fuse_tui.core.story.render_text import stories_text
from fuse_tui.emulator.generator import generate_calls
from tests.core.story_reference import build as reference_build
from tests.core.story_reference import render_html as reference_html
from tests.core.story_reference import render_json as reference_json
from tests.core.story_reference import render_markdown as reference_markdown
from tests.core.story_reference import render_text as reference_text
from tests.core.story_reference import steps as reference_steps
from tests.core.test_story import _odd_entries


def _read(entries: list[dict[str, Any]]) -> CallLog:
    """The log as ``summary`` reads a file: compact entries (field views for the story) when
    the reader keeps them so (it keeps models for what it cannot, such as lone surrogates)."""
    document = load(json.dumps(entries).encode(), source="t")
    return document.logs[0]  # type: ignore[union-attr]


def _models(entries: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> CallLog:
    return CallLog(entries=[LogEntry.model_validate(e) for e in entries], meta=meta or {})


def _assert_same_outputs(logs: list[CallLog], gap: int) -> None:
    stories = [build_story(log, gap_seconds=gap) for log in logs]
    reference = [reference_build.build_story(log, gap_seconds=gap) for log in logs]
    assert stories == reference
    assert stories_json(stories, gap) == reference_json.stories_json(reference, gap)
    for utc in (False, True):
        assert list(stories_text(stories, utc=utc)) == list(
            reference_text.stories_text(reference, utc=utc)
        )
        assert list(stories_markdown(stories, utc=utc)) == list(
            reference_markdown.stories_markdown(reference, utc=utc)
        )
        assert list(stories_html(stories, logs, utc=utc)) == list(
            reference_html.stories_html(reference, logs, utc=utc)
        )
    assert list(stories_html(stories)) == list(reference_html.stories_html(reference))
    # As `summary --format html` tells it: the story and the event list from the same views.
    pairs = [build_story_and_views(log, gap_seconds=gap) for log in logs]
    told = [story for story, _ in pairs]
    views = [entries for _, entries in pairs]
    assert told == reference
    for log, entries in zip(logs, views, strict=True):
        assert [_fields(e) for e in entries] == [_fields(e) for e in field_views(log.entries)]
    for utc in (False, True):
        assert list(stories_html(told, logs, utc=utc, entries=views)) == list(
            reference_html.stories_html(reference, logs, utc=utc)
        )


def _fields(entry: LogEntry) -> tuple[Any, ...]:
    event = entry.event
    return (entry.kind, entry.timestamp, event.line, event.data, event.module_type)


def _same_steps(entries: Any) -> None:
    fast = split_steps(entries)
    slow = reference_steps.split_steps(entries)
    assert [vars(step) for step in fast] == [vars(step) for step in slow]
    assert [step.label for step in fast] == [step.label for step in slow]
    assert split_steps(entries, entry_moments(entries)) == fast


@settings(max_examples=300, deadline=None)
@given(_odd_entries(), st.integers(1, 100))
def test_odd_logs_tell_what_they_told_in_every_format(
    entries: list[dict[str, Any]], gap: int
) -> None:
    models = _models(entries, meta={"src": "+15550100", "dest": {"x": 1}, "start": 5})
    _assert_same_outputs([models], gap)
    _assert_same_outputs([_read(entries), models], gap)
    _same_steps(models.entries)


def test_generated_calls_tell_what_they_told_in_every_format() -> None:
    calls = generate_calls(60, seed=11, anchor=1_750_000_000)
    logs = [_read(call.entries) for call in calls]
    assert all(isinstance(log.entries, CompactEntries) for log in logs)
    for gap in (1, 5, 30):
        _assert_same_outputs(logs, gap)
    _assert_same_outputs([_models(call.entries) for call in calls[:20]], 5)
    for log in logs:
        _same_steps(log.entries)


def test_one_long_call_tells_what_it_told_in_every_format() -> None:
    """Generated calls strung into one, as benchmarks/bench_story.py does (a few thousand
    entries: past the caches' first fills, every step kind, waits across calls)."""
    entries: list[dict[str, Any]] = []
    clock = 1_750_000_000
    for call in generate_calls(120, seed=5, anchor=clock):
        base = call.entries[0]["timestamp"] if call.entries else 0
        for entry in call.entries:
            if entry["event"]["data"]["module_type"] != "exit":
                entries.append({**entry, "timestamp": clock + entry["timestamp"] - base})
        clock = (entries[-1]["timestamp"] if entries else clock) + 7
    for gap in (1, 5):
        _assert_same_outputs([_read(entries)], gap)


def test_fast_step_constructors_make_the_dataclasses_their_init_makes() -> None:
    from fuse_tui.core.steps import new_step
    from fuse_tui.core.story.model import new_story_step

    step_args = (3, "menu", "v", 4, 6, 100, 105, 1)
    assert new_step(*step_args) == Step(*step_args)
    assert list(vars(new_step(*step_args))) == [f.name for f in fields(Step)]
    story_args = (3, "menu", "v", "menu (v)", 4, 6, 0, 5, 1, (), (), (), (), (), ())
    assert new_story_step(*story_args) == StoryStep(*story_args)
    assert list(vars(new_story_step(*story_args))) == [f.name for f in fields(StoryStep)]


def test_event_times_are_those_of_format_timestamp_in_odd_zones(monkeypatch: Any) -> None:
    """The HTML event list writes a second from its minute's text only where the zone's offset
    holds for the whole minute: zones with offsets in seconds (Monrovia until 1972), DST
    transitions, times in milliseconds and far years all read as format_timestamp reads them."""
    import time

    stamps: list[Any] = []
    for base in (63_072_000 - 90, 1_711_846_800 - 90, 1_729_990_800 - 90, -2_000_000_000):
        stamps += range(base, base + 200, 7)
    stamps += [1_750_000_000_123, -62_135_596_800, 253_402_300_799, 0, -1, None, 59, 60]
    entries = [
        {"event": {"line": "x", "data": {"module_type": "m"}}, "class": "info", "timestamp": s}
        for s in stamps
    ]
    for zone in ("Africa/Monrovia", "Europe/Amsterdam", "America/St_Johns", "UTC"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        try:
            _assert_same_outputs([_read(entries)], 5)
        finally:
            monkeypatch.undo()
            time.tzset()


@given(st.lists(st.one_of(st.none(), st.integers(-(10**6), 10**12)), max_size=50))
def test_offset_texts_are_offset_text_escaped(offsets: list[int | None]) -> None:
    from fuse_tui.core.story.notes import OffsetTexts, offset_text
    from fuse_tui.core.story.render_markdown import md_escape

    plain, escaped = OffsetTexts(), OffsetTexts(md_escape)
    for offset in offsets:
        assert plain.text(offset) == offset_text(offset)
        assert escaped.text(offset) == md_escape(offset_text(offset))
