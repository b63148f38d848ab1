"""The story as JSON: an interface for scripts (every key is documented in the README).

Always ``{"version": 1, "gap_seconds": N, "stories": [...]}``, one story per call, so a script
reads one shape whether SOURCE held one call or an all_logs dump of many. Times are UNIX
seconds (whatever unit the log used) plus the same moment as ISO 8601 UTC text; offsets and
durations are whole seconds from the call's first entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fuse_tui.core.formats.json_writer import json_text, unsafe_escaped
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
    # Once per step of a long call, most of whose steps have nothing in these lists.
    waits = step.waits
    return {
        "number": step.number,
        "module": step.module,
        "variable": step.variable,
        "label": step.label,
        "first_entry": step.first,
        "last_entry": step.last,
        "entry_count": step.last - step.first + 1,  # step.entry_count
        "offset_seconds": step.offset,
        "duration_seconds": step.duration,
        "error_count": step.error_count,
        "heard": _items(step.heard) if step.heard else [],
        "entered": _items(step.entered) if step.entered else [],
        "data_calls": _items(step.data_calls) if step.data_calls else [],
        "transfers": _items(step.transfers) if step.transfers else [],
        "errors": _items(step.errors) if step.errors else [],
        "waits": [
            {
                "after_entry": w.after,
                "entry": w.entry,
                "offset_seconds": w.offset,
                "seconds": w.seconds,
            }
            for w in waits
        ]
        if waits
        else [],
    }


def story_json(story: Story) -> dict[str, Any]:
    return {**story_json_head(story), "steps": [step_json(step) for step in story.steps]}


def story_json_head(story: Story) -> dict[str, Any]:
    """The story's keys before its ``steps`` (the last key), in their order."""
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
    }


def stories_json(stories: Sequence[Story], gap_seconds: int, *, pretty: bool = False) -> str:
    """The document on one line (``pretty``: indented), control characters escaped (core's
    JSON writer). One line by default: indenting takes json's pure-Python path, ~5x slower on
    a long call; ``jq .`` indents it for a reader."""
    # A long call's story is ~10 small objects per step, none cyclic: built, written and
    # dropped with the GC paused, so that no collection ever traverses them.
    with gc_paused():
        written = None if pretty else _compact_text(stories, gap_seconds)
        if written is not None:
            return written + "\n"
        document = {
            "version": JSON_VERSION,
            "gap_seconds": gap_seconds,
            "stories": [story_json(story) for story in stories],
        }
        text = json_text(document, pretty=pretty)
        del document
    return text + "\n"


# json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False), as json_text
# writes it, with one encoder for every call; a string alone as that encoder writes one.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_STRING = json.encoder.encode_basestring
_EMPTY_TAIL = "[]}"


class _NotWritten(Exception):
    """A value the step writer does not write as json would (not None, an int or a str)."""


def _compact_text(stories: Sequence[Story], gap_seconds: int) -> str | None:
    """The JSON text of the document as json_text writes it (compact, unsafe characters
    escaped), written step by step (json's encoder costs more to set up than to run on one
    step, and a long call has 80k steps), each distinct string encoded once. The unsafe
    characters can only be in strings: each string is escaped, not the whole text. None when
    a value is not None, an int or a str (the caller then encodes the document whole, as
    json_text does)."""
    strings: dict[str | None, str] = {None: "null"}
    told: list[str] = []
    try:
        for story in stories:
            head = _ENCODE({**story_json_head(story), "steps": []})
            if not head.endswith(_EMPTY_TAIL):
                return None
            texts = [_step_text(step, strings) for step in story.steps]
            told.append(f"{unsafe_escaped(head[:-3])}[{','.join(texts)}]}}")
        head = _ENCODE({"version": JSON_VERSION, "gap_seconds": gap_seconds, "stories": []})
    except (_NotWritten, ValueError):  # ValueError: json_text's own way with such numbers
        return None
    if not head.endswith(_EMPTY_TAIL):
        return None
    return f"{head[:-3]}[{','.join(told)}]}}"


def _step_text(step: StoryStep, strings: dict[str | None, str]) -> str:
    """``step_json(step)`` as json_text writes it (see :func:`_compact_text`)."""
    module, variable, label = step.module, step.variable, step.label
    module_text = strings.get(module) or _string(module, strings)
    variable_text = strings.get(variable) or _string(variable, strings)
    label_text = strings.get(label) or _string(label, strings)
    number, first, last, error_count = step.number, step.first, step.last, step.error_count
    offset, duration = step.offset, step.duration
    if (
        type(number) is not int
        or type(first) is not int
        or type(last) is not int
        or type(error_count) is not int
        or not (offset is None or type(offset) is int)
        or not (duration is None or type(duration) is int)
    ):
        raise _NotWritten
    # An int in an f-string is its repr, json's own text of an int.
    head = (
        f'{{"number":{number},"module":{module_text},"variable":{variable_text},'
        f'"label":{label_text},"first_entry":{first},"last_entry":{last},'
        f'"entry_count":{last - first + 1},'
        f'"offset_seconds":{"null" if offset is None else offset},'
        f'"duration_seconds":{"null" if duration is None else duration},'
        f'"error_count":{error_count},'
    )
    heard, entered, calls, transfers = step.heard, step.entered, step.data_calls, step.transfers
    errors, waits = step.errors, step.waits
    if not (heard or entered or calls or transfers or errors or waits):
        return head + _NO_ITEMS
    # Most steps with something to tell have one list of it (a prompt or two heard).
    waits_text = (
        ",".join(
            f'{{"after_entry":{_int(w.after)},"entry":{_int(w.entry)},'
            f'"offset_seconds":{_value(w.offset, strings)},"seconds":{_int(w.seconds)}}}'
            for w in waits
        )
        if waits
        else ""
    )
    return (
        f'{head}"heard":[{_items_text(heard, strings) if heard else ""}],'
        f'"entered":[{_items_text(entered, strings) if entered else ""}],'
        f'"data_calls":[{_items_text(calls, strings) if calls else ""}],'
        f'"transfers":[{_items_text(transfers, strings) if transfers else ""}],'
        f'"errors":[{_items_text(errors, strings) if errors else ""}],"waits":[{waits_text}]}}'
    )


_NO_ITEMS = '"heard":[],"entered":[],"data_calls":[],"transfers":[],"errors":[],"waits":[]}'


def _string(value: Any, strings: dict[str | None, str]) -> str:
    if type(value) is not str:
        raise _NotWritten
    text = unsafe_escaped(_STRING(value))
    if len(strings) < _MEMO_STRINGS:  # a log of unique lines is no reason to hold them twice
        strings[value] = text
    return text


# How many distinct strings a document's writing remembers (a long call says the same
# prompts, labels and targets again and again).
_MEMO_STRINGS = 1 << 16


def _int(value: Any) -> str:
    if type(value) is not int:
        raise _NotWritten
    return int.__repr__(value)  # json's own text of an int


def _value(value: Any, strings: dict[str | None, str]) -> str:
    if value is None:
        return "null"
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is str:
        return strings.get(value) or _string(value, strings)
    raise _NotWritten


# Each item's keys as _items writes them: its fields in order, ``offset`` last as
# ``offset_seconds``.
_ITEM_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}


def _items_text(items: Sequence[Any], strings: dict[str | None, str]) -> str:
    texts = []
    for item in items:
        values = vars(item)
        keys = _ITEM_KEYS.get(type(item))
        if keys is None:
            names = [name for name in values if name != "offset"]
            keys = _ITEM_KEYS[type(item)] = (
                *((name, f'"{name}":') for name in names),
                ("offset", '"offset_seconds":'),
            )
        if len(values) != len(keys):
            raise _NotWritten
        fields = ",".join([key + _value(values[name], strings) for name, key in keys])
        texts.append(f"{{{fields}}}")
    return ",".join(texts)
