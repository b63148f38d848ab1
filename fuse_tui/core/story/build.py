"""Build a call's :class:`Story` from its log: one pass over the entries, step by step.

The data of an entry is read first (``status_code``, ``destination``…); its line only when the
data says nothing (``User input: 6 (dtmf)``, ``HTTP 503``). Plum promises nothing in ``data``
beyond ``module_type`` and ``result_variable``, so every other key is looked up under the
names seen in the wild (:mod:`fuse_tui.core.story.fields`), and a step of a module this does not
know is still a step: it just tells less.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from fuse_tui.core.entries import field_views
from fuse_tui.core.formats.shape import BULK_BYTES, gc_paused
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.steps import Step, StepRow, entry_moments, new_step, step_label, step_rows
from fuse_tui.core.story.fields import (
    first_text,
    latency_ms,
    module_kind,
    status_of,
)
from fuse_tui.core.story.model import (
    DataCall,
    Ending,
    Entered,
    Heard,
    Story,
    StoryError,
    StoryStep,
    Transfer,
    Wait,
    new_heard,
    new_story_step,
)
from fuse_tui.core.timestamps import epoch_seconds

DEFAULT_GAP_SECONDS = 5
# From this many entries on, a story is built as a bulk load (see build_story).
_BULK_ENTRIES = 20_000

# Module kinds (module_kind(): lower case, no separators) that call something outside the call.
DATA_KINDS = frozenset(
    {
        "rest",
        "restapi",
        "http",
        "soap",
        "webservice",
        "email",
        "sms",
        "evaluatejs",
        "evaljs",
        "javascript",
        "js",
        "script",
        "dialogflow",
        "dynamodb",
        "awss3",
        "s3",
    }
)
TRANSFER_KINDS = frozenset({"transfer", "calltransfer", "blindtransfer", "bridge"})
EXIT_KINDS = frozenset({"exit", "hangup", "end"})
# Data keys that hold what the caller entered, and how.
INPUT_KEYS = ("user_input", "input", "utterance", "recognized", "transcription")
MODE_KEYS = ("input_mode", "mode")
TARGET_KEYS = (
    "url",
    "endpoint",
    "uri",
    "wsdl",
    "to",
    "recipient",
    "phone_number",
    "bucket",
    "table",
)
METHOD_KEYS = ("method", "http_method", "verb")
DESTINATION_KEYS = ("destination", "transfer_to", "number", "phone_number", "to", "target")
TRANSFER_OUTCOME_KEYS = ("outcome", "result", "disposition", "status")
APP_KEYS = ("application", "application_name", "app_name", "app")
VERSION_KEYS = ("version", "application_version", "app_version")

_START_LINE = re.compile(r'Executing application\s+"(?P<name>.*)"\s+version\s+"(?P<version>.*)"')
_USER_INPUT = re.compile(r"^\s*User input:\s*(?P<value>.*?)\s*(?:\((?P<mode>[^()]*)\))?\s*$", re.I)
_NO_INPUT = re.compile(r"^\s*(?P<what>no[ _-]?input|no[ _-]?match)\b", re.I)
# "Transferring call to 8005550199" (a number, a SIP or tel: URI, an address): "to an agent"
# names no destination.
_TRANSFER_LINE = re.compile(
    r"\btransferr?ing\b(?:\s+(?:the\s+)?call)?\s+to\s+"
    r"(?P<dest>\+?\d[\d\-.() ]*\d|(?:sips?|tel):\S+|[^\s@]+@\S+)",
    re.I,
)
_CALLER_HANGUP = re.compile(
    r"\b(?:caller|user|customer)\s+(?:hung\s*up|hang\s*up|hangs\s*up|disconnected|abandoned)", re.I
)
_FAILURE = re.compile(
    r"\b(?:fail(?:ed|ure|s)?|error|exception|time[ds]?\s*out|timeout|unavailable|refused)\b", re.I
)
_SUCCESS = re.compile(
    r"\b(?:sent|success(?:ful)?|succeeded|received|ok|done|completed?|delivered|connected)\b", re.I
)
# Look for the application's name this far into the log at most (it is the first entry).
_APP_SEARCH = 50
# How many last steps (besides the exit) tell how the call ended.
_ENDING_STEPS = 3


def build_story(log: CallLog, *, gap_seconds: int = DEFAULT_GAP_SECONDS) -> Story:
    """The story of ``log``; never raises on odd content (unknown modules, missing fields, no
    times). ``gap_seconds`` (≥ 1): a silence that long between two entries is a long wait."""
    return build_story_and_views(log, gap_seconds=gap_seconds)[0]


def build_story_and_views(
    log: CallLog, *, gap_seconds: int = DEFAULT_GAP_SECONDS
) -> tuple[Story, Sequence[LogEntry]]:
    """:func:`build_story`, and the entries it read it from (``field_views(log.entries)``):
    for a caller that reads every entry again (the HTML page's event list)."""
    # Tens of thousands of small acyclic objects: collections would only traverse them, and
    # once the GC is back on, the first one would traverse them all (so a long call's story
    # and views are frozen with them, as the readers freeze a long log; refcounting still
    # frees them).
    with gc_paused(BULK_BYTES if len(log.entries) >= _BULK_ENTRIES else 0):
        # Read in several passes and by index, fields only: views decoded once, no models.
        entries = field_views(log.entries)
        return _build(log, max(1, int(gap_seconds)), entries), entries


def _build(log: CallLog, gap: int, entries: Sequence[LogEntry]) -> Story:
    moments = entry_moments(entries)
    rows = step_rows(entries, moments)  # the steps of split_steps, as rows
    waits, first_moment, last_moment = _waits(moments, [row[2] for row in rows], gap)
    start = first_moment if first_moment is not None else epoch_seconds(log.meta.get("start"))
    end = last_moment if last_moment is not None else epoch_seconds(log.meta.get("end"))
    if first_moment is None and start is not None and end is not None and end < start:
        end = None
    story_steps = _story_steps(entries, moments, rows, start, waits)
    application, version = _application(entries)
    return Story(
        session_id=log.session_id,
        application=application,
        version=version,
        caller=_meta_text(log.meta.get("src")),
        called=_meta_text(log.meta.get("dest")),
        direction=_meta_text(log.meta.get("type")),
        start=start,
        end=end,
        duration=None if start is None or end is None else end - start,
        entry_count=len(entries),
        gap_seconds=gap,
        ending=_ending(entries, story_steps),
        steps=story_steps,
    )


def _meta_text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _offset(moment: int | None, start: int | None) -> int | None:
    return None if moment is None or start is None else moment - start


def _waits(
    moments: Sequence[int | None], firsts: list[int], gap: int
) -> tuple[dict[int, tuple[Wait, ...]], int | None, int | None]:
    """Long waits by the number of the step they happened in (that of the entry before the
    silence), and the first and last moments of the call (None without times).

    The steps (``firsts``: the index of each one's first entry) cover the entries in order,
    one after the other: the moments are read in one run, and a step is looked for only
    where a wait is found."""
    found: dict[int, list[Wait]] = {}
    first: int | None = None
    previous_index = previous_moment = 0
    low = high = 0
    for index, moment in enumerate(moments):
        if moment is None:
            continue
        if first is None:
            first = low = high = moment
        else:
            if moment < low:
                low = moment
            elif moment > high:
                high = moment
            if moment - previous_moment >= gap:
                number = bisect_right(firsts, previous_index)  # steps are numbered from 1
                wait = Wait(previous_index, index, moment - first, moment - previous_moment)
                found.setdefault(number, []).append(wait)
        previous_index, previous_moment = index, moment
    if first is None:
        return {}, None, None
    if low != first:
        # The clock went back: offsets count from the earliest moment, as the steps' do.
        shift = first - low
        found = {
            n: [replace(w, offset=None if w.offset is None else w.offset + shift) for w in ws]
            for n, ws in found.items()
        }
    return {n: tuple(w) for n, w in found.items()}, low, high


def _story_steps(
    entries: Sequence[LogEntry],
    moments: Sequence[int | None],
    rows: Sequence[StepRow],
    start: int | None,
    waits: dict[int, tuple[Wait, ...]],
) -> tuple[StoryStep, ...]:
    """Every step's story. Hot: once per step of a 100k-entry call, most of whose steps tell
    nothing but their module and times, or a prompt. One pass marks the entries
    :func:`_story_step` could find something in, and those that can only be a prompt heard;
    a step of a kind that calls nothing outside and transfers nothing is told without
    looking at its entries again when none is marked, and with only its prompts when only
    prompts are (exactly what ``_story_step`` would tell of it, as the tests hold it to)."""
    marked, heard_only = _marked_entries(entries)
    marked.append(len(entries))  # a mark past the end: the walk below never runs out
    mark = 0
    next_marked = marked[0]
    # (module, variable) → (label, kind, whether the kind is told from its entries)
    known: dict[tuple[str | None, str | None], tuple[str, str, bool]] = {}
    no_waits: tuple[Wait, ...] = ()
    told: list[StoryStep] = []
    add = told.append
    count = len(rows)
    for position, row in enumerate(rows):
        module, variable, first, last, began, ended, error_count = row
        number = position + 1
        key = (module, variable)
        facts = known.get(key)
        if facts is None:
            kind = _kind_of(module)
            facts = known[key] = (step_label(module, variable), kind, kind in _TELLING_KINDS)
        label, kind, telling = facts
        if began is None:
            offset = duration = None
        else:  # Step.duration(next step's start), inline
            offset = None if start is None else began - start
            end = rows[number][4] if number < count else None
            if end is None:
                end = ended
            duration = None if end is None else (end - began if end > began else 0)
        heard: tuple[Heard, ...] = ()
        tell = telling
        if next_marked <= last:
            at = mark
            while next_marked <= last:
                mark += 1
                next_marked = marked[mark]
            tell = telling or not heard_only.issuperset(marked[at:mark])
            if not tell:  # prompts only: heard, without reading the step's entries again
                heard = tuple(
                    [
                        new_heard(
                            index,
                            None
                            if (moment := moments[index]) is None or start is None
                            else moment - start,
                            entries[index].event.line,
                        )
                        for index in marked[at:mark]
                    ]
                )
        if tell:
            add(
                _story_step(
                    entries,
                    moments,
                    new_step(number, *row),
                    kind,
                    label,
                    offset,
                    duration,
                    start,
                    waits.get(number, no_waits),
                )
            )
            continue
        story_step = new_story_step(
            number,
            module,
            variable,
            label,
            first,
            last,
            offset,
            duration,
            error_count,
            heard,
            (),
            (),
            (),
            (),
            waits.get(number, no_waits),
        )
        add(story_step)
    return tuple(told)


def _marked_entries(entries: Sequence[LogEntry]) -> tuple[list[int], set[int]]:
    """The indexes of the entries :func:`_story_step` may find something in (a prompt or an
    error, input in the data or maybe in the line, a URL in the data, a transfer in the
    line: a superset, ``_story_step`` decides), and those of them that can only be a prompt
    heard (of class prompt, and none of the rest)."""
    marked = []
    heard_only = set()
    input_keys = _INPUT_KEY_SET
    input_first = _INPUT_LINE_FIRST
    for index, entry in enumerate(entries):
        event = entry.event
        line = event.line
        data = event.data
        cls = entry.class_
        if (
            line[:1] in input_first
            or "ransfer" in line
            or (data and ("url" in data or not input_keys.isdisjoint(data)))
        ):
            marked.append(index)
        elif cls == "prompt":
            marked.append(index)
            heard_only.add(index)
        elif cls == "error":
            marked.append(index)
    return marked, heard_only


def _story_step(
    entries: Sequence[LogEntry],
    moments: Sequence[int | None],
    step: Step,
    kind: str,
    label: str,
    step_offset: int | None,
    step_duration: int | None,
    start: int | None,
    waits: tuple[Wait, ...],
) -> StoryStep:
    """The story of one step from its entries; ``label``, ``step_offset`` and
    ``step_duration`` are the step's own (``step.label``, its start from ``start``,
    ``step.duration(next start)``)."""
    # Hot: once per step of a 100k-entry call, most of whose entries are none of the things
    # looked for: each test below is a cheap membership check before any regex or data lookup,
    # and the lists are made only for a step that has something to put in them.
    heard: list[Heard] | None = None
    entered: list[Entered] | None = None
    errors: list[StoryError] | None = None
    is_data = kind in DATA_KINDS
    is_transfer = kind in TRANSFER_KINDS
    may_call = not is_data and kind not in EXIT_KINDS
    for index in range(step.first, step.last + 1):
        entry = entries[index]
        event = entry.event
        line = event.line
        data = event.data
        cls = entry.class_
        said = None
        if data and not _INPUT_KEY_SET.isdisjoint(data):
            said = _entered_in_data(data, kind)
        if said is None and line[:1] in _INPUT_LINE_FIRST:  # "User input…", "No input…"
            said = _entered_in_line(line)
        if cls == "prompt" or cls == "error" or said is not None:
            moment = moments[index]
            offset = None if moment is None or start is None else moment - start
            if cls == "prompt":
                heard = heard or []
                heard.append(new_heard(index, offset, line))
            elif cls == "error":
                errors = errors or []
                errors.append(StoryError(index, offset, line))
            if said is not None:
                entered = entered or []
                entered.append(Entered(index, offset, said[0], said[1]))
        if may_call and data and "url" in data and status_of(data) is not None:
            is_data, may_call = True, False  # an unlisted module reporting a URL and a status
        if not is_transfer and "ransfer" in line and _TRANSFER_LINE.search(line):
            is_transfer = True
    return new_story_step(
        step.number,
        step.module,
        step.variable,
        label,
        step.first,
        step.last,
        step_offset,
        step_duration,
        step.error_count,
        tuple(heard) if heard else (),
        tuple(entered) if entered else (),
        (_data_call(entries, moments, step, start),) if is_data else (),
        (_transfer(entries, moments, step, start),) if is_transfer else (),
        tuple(errors) if errors else (),
        waits,
    )


_KINDS: dict[str | None, str] = {}


def _kind_of(module: str | None) -> str:
    """module_kind, remembered: a call has a handful of module types, read once per step."""
    kind = _KINDS.get(module)
    if kind is None:
        kind = module_kind(module)
        if len(_KINDS) < 4096:  # hostile logs cannot grow it without bound
            _KINDS[module] = kind
    return kind


# Kinds whose step is told from its entries even when none is marked (a back-end call, a
# transfer).
_TELLING_KINDS = DATA_KINDS | TRANSFER_KINDS
# First characters of a line either input regex may match (they allow leading blanks).
_INPUT_LINE_FIRST = frozenset("UuNn \t")
_INPUT_KEY_SET = frozenset(INPUT_KEYS)


def _entered_in_data(data: dict[str, Any], kind: str) -> tuple[str | None, str | None] | None:
    """(value, mode) of caller input as the entry's data states it, if it does."""
    value = first_text(data, INPUT_KEYS)
    if value is None:
        return None
    mode = first_text(data, MODE_KEYS)
    if mode is None and value == first_text(data, ("transcription",)):
        mode = "recording" if kind == "record" else "speech"
    return value, mode


def _entered_in_line(line: str) -> tuple[str | None, str | None] | None:
    """``User input: 6 (dtmf)`` → ("6", "dtmf"); ``No input`` → (None, "noinput")."""
    match = _USER_INPUT.match(line)
    if match:
        return match.group("value"), match.group("mode")
    match = _NO_INPUT.match(line)
    if match:
        return None, re.sub(r"[ _-]", "", match.group("what").lower())
    return None


def _data_call(
    entries: Sequence[LogEntry], moments: Sequence[int | None], step: Step, start: int | None
) -> DataCall:
    target = method = status = None
    latency: int | None = None
    error_line: str | None = None  # the first entry of class error
    failure_line: str | None = None  # else the first line saying it failed
    ok_line: str | None = None
    last_line = ""
    for index in range(step.first, step.last + 1):
        entry = entries[index]
        data = entry.event.data or {}
        line = entry.event.line
        last_line = line
        target = target or first_text(data, TARGET_KEYS)
        method = method or first_text(data, METHOD_KEYS)
        status = status_of(data) or status or _http_status_in(line)
        took = latency_ms(data)
        latency = took if took is not None else latency
        if entry.is_error:
            error_line = error_line or line
        elif _FAILURE.search(line):
            failure_line = failure_line or line
        elif _SUCCESS.search(line):
            ok_line = line
    failed_line = error_line or failure_line
    outcome = _outcome(status, failed_line, ok_line)
    detail = failed_line if outcome == "failed" and failed_line else (ok_line or last_line)
    return DataCall(
        entry=step.first,
        offset=_offset(moments[step.first], start),  # its epoch_seconds(timestamp)
        kind=step.module or "(no module)",
        target=target,
        method=method,
        status=status,
        outcome=outcome,
        latency_ms=latency,
        detail=detail,
    )


_HTTP_STATUS = re.compile(r"\bHTTP(?:/\d(?:\.\d)?)?\s*:?\s*(?P<code>[1-5]\d\d)\b", re.I)


def _http_status_in(line: str) -> str | None:
    match = _HTTP_STATUS.search(line)
    return match.group("code") if match else None


def _outcome(status: str | None, failed_line: str | None, ok_line: str | None) -> str:
    if status is not None and status.isdigit() and len(status) == 3:
        return "failed" if int(status) >= 400 or failed_line is not None else "ok"
    if failed_line is not None:
        return "failed"
    if status is not None:  # a word: "delivered", "AccessDenied", "TIMEOUT"
        word = status.lower()
        if any(part in word for part in _FAILURE_WORDS):
            return "failed"
        if any(part in word for part in _SUCCESS_WORDS):
            return "ok"
    return "ok" if ok_line is not None else "unknown"


# Parts of a status word (no word boundaries there: "AccessDenied", "SEND_FAILED").
_FAILURE_WORDS = (
    "fail",
    "error",
    "denied",
    "timeout",
    "timedout",
    "invalid",
    "reject",
    "unavailable",
    "refused",
    "forbidden",
    "notfound",
    "exception",
)
_SUCCESS_WORDS = ("ok", "success", "sent", "delivered", "complete", "accepted", "queued")


def _transfer(
    entries: Sequence[LogEntry], moments: Sequence[int | None], step: Step, start: int | None
) -> Transfer:
    destination: str | None = None
    outcome: str | None = None
    for index in range(step.first, step.last + 1):
        event = entries[index].event
        data = event.data or {}
        if destination is None:
            destination = first_text(data, DESTINATION_KEYS)
        if destination is None:
            match = _TRANSFER_LINE.search(event.line)
            destination = match.group("dest").rstrip(".,;") if match else None
        outcome = first_text(data, TRANSFER_OUTCOME_KEYS) or outcome
    if outcome is None and step.last > step.first:
        outcome = entries[step.last].event.line
    return Transfer(step.first, _offset(moments[step.first], start), destination, outcome)


def _application(entries: Sequence[LogEntry]) -> tuple[str | None, str | None]:
    for index in range(min(len(entries), _APP_SEARCH)):
        event = entries[index].event
        data = event.data or {}
        name = first_text(data, APP_KEYS)
        if name is not None:
            return name, first_text(data, VERSION_KEYS)
        match = _START_LINE.search(event.line)
        if match:
            return match.group("name"), match.group("version")
    return None, None


def _ending(entries: Sequence[LogEntry], steps: Sequence[StoryStep]) -> Ending:
    """Caller hang-up, then an application error, then a transfer, then a plain exit."""
    if not steps:
        return Ending("unknown", "The log has no entries.", None, None)
    exit_step = steps[-1] if module_kind(steps[-1].module) in EXIT_KINDS else None
    tail = steps[-(_ENDING_STEPS + 1) :]
    reason = (exit_step.variable or "").lower() if exit_step else ""
    for step in reversed(tail):
        for index in range(step.last, step.first - 1, -1):
            event = entries[index].event
            said = first_text(event.data or {}, ("reason",)) or ""
            if _CALLER_HANGUP.search(event.line) or "caller_hangup" in (said.lower(), reason):
                return Ending("caller_hangup", "The caller hung up.", index, step.number)
    before_exit = [s for s in tail if s is not exit_step]
    if exit_step is not None and (exit_step.errors or "error" in reason):
        last = exit_step.errors[-1] if exit_step.errors else None
        text = (
            f"The application ended on an error: {last.text}"
            if last
            else "The application ended on an error."
        )
        return Ending("error", text, last.entry if last else exit_step.first, exit_step.number)
    if exit_step is None and steps[-1].errors:
        last = steps[-1].errors[-1]
        return Ending(
            "error", f"The call ended on an error: {last.text}", last.entry, steps[-1].number
        )
    transfers = [(s, t) for s in before_exit for t in s.transfers]
    if transfers:
        # The call left through the transfer when nothing but the exit came after it.
        step, transfer = transfers[-1]
        went = exit_step is None or "transfer" in reason or step is before_exit[-1]
        if went and not step.errors:  # a transfer step with an error did not take the call
            where = transfer.destination or "an unknown destination"
            how = f" ({transfer.outcome})" if transfer.outcome else ""
            return Ending("transfer", f"Transferred to {where}{how}.", transfer.entry, step.number)
    if exit_step is not None:
        why = f" ({exit_step.variable})" if exit_step.variable else ""
        return Ending("exit", f"The application exited{why}.", exit_step.first, exit_step.number)
    last_step = steps[-1]
    return Ending(
        "unknown",
        f"The log stops in step {last_step.number}, {last_step.label}, with no exit: "
        "it may be cut short.",
        last_step.last,
        last_step.number,
    )
