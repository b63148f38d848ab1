"""Turn a parsed tree (from JSON or XML) into a Document, recognising every Fuse answer shape.

Shapes, by the top level:
- a list → the detailed log of one call (``/api/call``);
- ``{"error": …}`` → a Fuse error answer, raised as :class:`FuseErrorAnswer`;
- ``{"calls": [...]}`` where some call carries ``detail`` → several logs (``/api/all_logs``);
- ``{"calls": [...], "total_calls": n}`` → a call list (``/api/calls``);
- ``{"calls": []}`` without ``total_calls`` → an empty ``all_logs`` answer.
Anything else is a :class:`FormatError` that says what was found.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import TypeAdapter, ValidationError

from fuse_tui.core.formats.document import (
    CallListDocument,
    CallProblem,
    Document,
    LogsDocument,
)
from fuse_tui.core.formats.errors import FormatError, FuseErrorAnswer
from fuse_tui.core.model import CallList, CallLog, LogEntry, compact_entries
from fuse_tui.core.textsafe import escape_control

ENTRIES: TypeAdapter[list[LogEntry]] = TypeAdapter(list[LogEntry])
# Entries validated at once from a parsed tree (see validate_entries).
SLICE_ENTRIES = 5000


# Below this size a read is too quick for the collector to matter.
BULK_BYTES = 1 << 20
# Roughly the bytes of source of one entry in a parsed tree.
ENTRY_BYTES = 200


@contextmanager
def gc_paused(size_hint: int = 0) -> Iterator[None]:
    """Pause the cyclic GC while building many small objects that form no cycles.

    Building 100k models with the GC on triggers collections that traverse everything built so
    far and find nothing to free. Pausing is not enough on its own: the first collection after
    re-enabling traverses every new object once (~0.3 s per 100k entries), and every later full
    collection does it again. So for a bulk load (``size_hint`` >= BULK_BYTES) the new objects
    are moved to the permanent generation with ``gc.freeze()``: they are long-lived and acyclic
    (refcounting still frees them when the log is dropped). A full collection first makes sure no
    earlier cyclic garbage gets frozen along with them. See benchmarks/bench_read.py.
    """
    was_enabled = gc.isenabled()
    bulk = was_enabled and size_hint >= BULK_BYTES
    if bulk:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if bulk:
            gc.freeze()
        if was_enabled:
            gc.enable()


def json_type_name(value: Any) -> str:
    """How a JSON reader would name this value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def validation_message(exc: ValidationError, what: str = "entry", offset: int = 0) -> str:
    """The first problem of a pydantic error, as 'entry 3: event.data should be an object'.

    ``offset``: how many entries came before the list that was validated (a slice of a log).
    """
    error = exc.errors(include_url=False)[0]
    loc = list(error.get("loc", ()))
    position = ""
    if len(loc) >= 2 and loc[0] == "calls" and isinstance(loc[1], int):
        loc.pop(0)
        what = "call"
    if loc and isinstance(loc[0], int):
        position = f"{what} {int(loc.pop(0)) + 1 + offset}"
    field = ".".join("class" if part == "class_" else str(part) for part in loc)
    kind = error.get("type")
    shown = escape_control(repr(error.get("input")))
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    problem = str(error.get("msg", "is invalid"))
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        problem = f"is {json_type_name(error.get('input'))}, not an object"
    elif kind == "string_type":
        problem = f"is {json_type_name(error.get('input'))}, not text"
    elif kind == "missing":
        problem = "is missing"
    elif kind in {"int_parsing", "int_type", "int_from_float", "finite_number", "int_parsing_size"}:
        is_time = loc and loc[-1] in {"timestamp", "start", "end"}
        problem = f"is {shown}, not a UNIX time" if is_time else f"is {shown}, not a whole number"
    elif kind in {"bool_parsing", "bool_type"}:
        problem = f"is {shown}, not true or false"
    subject = " ".join(part for part in (position, field) if part)
    return f"{subject or what} {problem}".strip()


def _empty_object(value: Any) -> Any:
    """An empty XML element ("") or PHP's empty array ([]) where an object is expected is {}."""
    if value is None or (isinstance(value, str | list) and not value):
        return {}
    return value


def normalize_entry(item: Any) -> Any:
    """Make the shapes Fuse (PHP) and XML produce for "empty object" into real empty objects.

    ``"event": null / "" / []`` and ``"data": "" / []`` become ``{}``; anything else is left to
    the model, which accepts or names it. Returns a new dict when something changed.
    """
    if not isinstance(item, dict):
        return item
    event = item.get("event", {})
    if isinstance(event, dict):
        data = event.get("data")
        if data is not None and not isinstance(data, dict):
            fixed = _empty_object(data)
            if fixed is not data:
                return {**item, "event": {**event, "data": fixed}}
        return item
    fixed_event = _empty_object(event)
    return item if fixed_event is event else {**item, "event": fixed_event}


def validate_entries(items: Any, source: str, context: str = "") -> list[LogEntry]:
    """Validate a parsed list of entries into models, naming the first bad entry on failure."""
    if not isinstance(items, list):
        raise FormatError(
            source, f"{context}expected a list of log entries, found {json_type_name(items)}"
        )
    entries: list[LogEntry] = []
    try:
        with gc_paused(len(items) * ENTRY_BYTES):
            # By slices, compacting each, so that the parsed tree (still held by the caller) and
            # all the models at full size never coexist: the XML read's peak.
            for start in range(0, len(items), SLICE_ENTRIES):
                # Normalised a slice at a time: the fixed copies of a whole log at once were
                # as big as the parsed tree itself (1M {"event": null}).
                part = ENTRIES.validate_python(
                    [normalize_entry(item) for item in items[start : start + SLICE_ENTRIES]]
                )
                compact_entries(part)
                entries += part
    except ValidationError as exc:
        message = validation_message(exc, offset=start)
        raise FormatError(source, f"{context}{message}") from exc
    return entries


def interpret(value: Any, source: str, fmt: str) -> Document:
    """Recognise the shape of a parsed Fuse answer (see the module docstring)."""
    if isinstance(value, list):
        log = CallLog(entries=validate_entries(value, source), source=source)
        return LogsDocument([log], "call", fmt)
    if isinstance(value, dict):
        return _interpret_object(value, source, fmt)
    raise FormatError(
        source,
        f"the top level is {json_type_name(value)}; expected a list of log entries "
        "or a Fuse answer object",
    )


def _interpret_object(value: dict[str, Any], source: str, fmt: str) -> Document:
    if "error" in value and "calls" not in value:
        message = value["error"]
        text = message if isinstance(message, str) else str(message)
        raise FuseErrorAnswer(source, escape_control(text.strip()) or "(no message)")
    if "calls" in value:
        calls = value["calls"]
        if calls in ("", None):  # an empty XML element, or null
            calls = []
        if not isinstance(calls, list):
            raise FormatError(source, f'"calls" is {json_type_name(calls)}, expected a list')
        if any(isinstance(call, dict) and "detail" in call for call in calls):
            return _all_logs(calls, source, fmt)
        for index, call in enumerate(calls):
            if not isinstance(call, dict):
                raise FormatError(
                    source, f"call {index + 1} is {json_type_name(call)}, not an object"
                )
        if "total_calls" in value or calls:
            return _call_list(value, calls, source, fmt)
        return LogsDocument([], "all_logs", fmt)
    if isinstance(value.get("event"), dict):
        # One entry on its own: a one-line NDJSON export.
        return interpret_ndjson([value], source)
    keys = ", ".join(escape_control(str(k)) for k in list(value)[:5]) or "none"
    raise FormatError(
        source,
        f"this object (keys: {keys}) is neither a call log nor a known Fuse answer",
    )


def interpret_ndjson(records: list[Any], source: str) -> Document:
    """Entry objects, one per line, as ``fuse-tui show -f ndjson`` writes them.

    Consecutive entries with the same ``session_id`` form one call log; a call whose entries
    cannot be read is a problem of the document (see ``LogsDocument.problems``).
    """
    groups: list[tuple[str | None, list[Any]]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise FormatError(
                source, f"NDJSON line {number} is {json_type_name(record)}, not an entry object"
            )
        record = dict(record)
        session = record.pop("session_id", None)
        session_id = None if session in (None, "") else str(session)
        if not groups or session_id != groups[-1][0]:
            groups.append((session_id, []))
        groups[-1][1].append(record)
    if not any(session_id for session_id, _ in groups):
        every = [record for _, group in groups for record in group]
        return LogsDocument([_ndjson_log(every, None, source)], "call", "json")
    logs: list[CallLog] = []
    problems: list[CallProblem] = []
    for index, (session_id, group) in enumerate(groups, start=1):
        try:
            logs.append(_ndjson_log(group, session_id, source))
        except FormatError as exc:
            problems.append(CallProblem(index, session_id, exc.message))
    return LogsDocument(logs, "all_logs", "json", _unless_all_failed(problems, logs, source))


def _ndjson_log(records: list[Any], session_id: str | None, source: str) -> CallLog:
    label = f"call {escape_control(session_id)}: " if session_id else ""
    entries = validate_entries(records, source, context=label)
    return CallLog(session_id=session_id, entries=entries, source=source)


def _all_logs(calls: list[Any], source: str, fmt: str) -> LogsDocument:
    """An all_logs answer: each call read on its own, so that one bad call sinks only itself."""
    logs: list[CallLog] = []
    problems: list[CallProblem] = []
    entries = sum(
        len(detail)
        for call in calls
        if isinstance(call, dict) and isinstance(detail := call.get("detail"), list)
    )
    # Paused once for every call: paused per call (validate_entries), the collector ran
    # between calls, each time over every model built before (a third of a 200k-event read).
    with gc_paused(entries * ENTRY_BYTES):
        for index, call in enumerate(calls):
            _read_call(call, index, source, logs, problems)
    return LogsDocument(logs, "all_logs", fmt, _unless_all_failed(problems, logs, source))


def _read_call(
    call: Any, index: int, source: str, logs: list[CallLog], problems: list[CallProblem]
) -> None:
    """One call of an all_logs answer into ``logs``, or why it cannot be read into
    ``problems``."""
    if not isinstance(call, dict):
        message = f"call {index + 1} is {json_type_name(call)}, not an object"
        problems.append(CallProblem(index + 1, None, message))
        return
    try:
        logs.append(_all_logs_call(call, index, source))
    except FormatError as exc:
        meta = {key: val for key, val in call.items() if key != "detail"}
        problems.append(CallProblem(index + 1, _session_id(call), exc.message, meta))


def _unless_all_failed(
    problems: list[CallProblem], logs: list[CallLog], source: str
) -> list[CallProblem]:
    """The problems, when at least one call was read; else the read fails with the first one."""
    if logs or not problems:
        return problems
    more = len(problems) - 1
    also = f" (and {more} more call{'s' if more > 1 else ''} that cannot be read)" if more else ""
    raise FormatError(source, problems[0].message + also)


def _session_id(call: dict[str, Any]) -> str | None:
    session = call.get("session_id")
    return None if session in (None, "") else str(session)


def _all_logs_call(call: dict[str, Any], index: int, source: str) -> CallLog:
    session_id = _session_id(call)
    label = f"call {index + 1}" + (f" ({escape_control(session_id)})" if session_id else "")
    detail = call.get("detail")
    if detail in ("", None):
        detail = []
    entries = validate_entries(detail, source, context=f"{label}: ")
    meta = {key: val for key, val in call.items() if key != "detail"}
    return CallLog(session_id=session_id, entries=entries, source=source, meta=meta)


def _call_list(value: dict[str, Any], calls: list[Any], source: str, fmt: str) -> Document:
    data = dict(value)
    data["calls"] = calls
    if data.get("total_calls") == "":
        data["total_calls"] = len(calls)
    try:
        return CallListDocument(CallList.model_validate(data), fmt)
    except ValidationError as exc:
        raise FormatError(
            source, f"this call list has the wrong shape: {validation_message(exc, 'call')}"
        ) from exc
