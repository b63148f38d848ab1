"""The story as JSON: an interface for scripts (every key is documented in the README).

Always ``{"version": 1, "gap_seconds": N, "stories": [...]}``, one story per call, so a script
reads one shape whether SOURCE held one call or an all_logs dump of many. Times are UNIX
seconds (whatever unit the log used) plus the same moment as ISO 8601 UTC text; offsets and
durations are whole seconds from the call's first entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fuse_tui.core.formats.json_writer import json_text
from fuse_tui.core.formats.shape import gc_paused
from fuse_tui.core.story.model import Story, StoryStep
from fuse_tui.core.timestamps import format_timestamp

JSON_VERSION = 1


def _iso(moment: int | None) -> str | None:
    return None if moment is None else format_timestamp(moment, "%Y-%m-%dT%H:%M:%SZ", utc=True)


def _items(items: Sequence[Any]) -> list[dict[str, Any]]:
    """Flat dataclasses as objects, ``offset`` named ``offset_seconds`` (vars(): asdict's deep
    copy costs seconds on a 100k-entry call)."""
    rows = []
    for item in items:
        row = dict(vars(item))
        row["offset_seconds"] = row.pop("offset")
        rows.append(row)
    return rows


def step_json(step: StoryStep) -> dict[str, Any]:
    return {
        "number": step.number,
        "module": step.module,
        "variable": step.variable,
        "label": step.label,
        "first_entry": step.first,
        "last_entry": step.last,
        "entry_count": step.entry_count,
        "offset_seconds": step.offset,
        "duration_seconds": step.duration,
        "error_count": step.error_count,
        "heard": _items(step.heard),
        "entered": _items(step.entered),
        "data_calls": _items(step.data_calls),
        "transfers": _items(step.transfers),
        "errors": _items(step.errors),
        "waits": [
            {
                "after_entry": w.after,
                "entry": w.entry,
                "offset_seconds": w.offset,
                "seconds": w.seconds,
            }
            for w in step.waits
        ],
    }


def story_json(story: Story) -> dict[str, Any]:
    return {
        "session_id": story.session_id,
        "application": story.application,
        "application_version": story.version,
        "caller": story.caller,
        "called": story.called,
        "direction": story.direction,
        "start": story.start,
        "start_utc": _iso(story.start),
        "end": story.end,
        "end_utc": _iso(story.end),
        "duration_seconds": story.duration,
        "entry_count": story.entry_count,
        "error_count": story.error_count,
        "ending": {
            "kind": story.ending.kind,
            "text": story.ending.text,
            "entry": story.ending.entry,
            "step": story.ending.step,
        },
        "steps": [step_json(step) for step in story.steps],
    }


def stories_json(stories: Sequence[Story], gap_seconds: int, *, pretty: bool = False) -> str:
    """The document on one line (``pretty``: indented), control characters escaped (core's
    JSON writer). One line by default: indenting takes json's pure-Python path, ~5x slower on
    a long call; ``jq .`` indents it for a reader."""
    with gc_paused():  # a long call's story is ~10 small objects per step, none cyclic
        document = {
            "version": JSON_VERSION,
            "gap_seconds": gap_seconds,
            "stories": [story_json(story) for story in stories],
        }
    return json_text(document, pretty=pretty) + "\n"
