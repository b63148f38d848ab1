"""``fuse-tui diff A B``: why did this call fail when that one worked?

Both calls are read as for ``show`` (``cli.source_loading``), compared step by step
(``core.diff``) and printed as text or JSON. The exit status is diff(1)'s: 0 when both took the
same path, 1 when they differ, 2 on trouble (a source that cannot be read, a bad command line,
an output that could not be written whole) — not the 1 other commands use for errors, which a
script would take for "they differ".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fuse_tui.cli.common import fail
from fuse_tui.cli.source_loading import SourceError, load_source
from fuse_tui.core.diff import AlignedRow, CallDiff, CallSide, RowStatus, StepFacts, compare_calls
from fuse_tui.core.formats import LogsDocument
from fuse_tui.core.formats.json_writer import json_text
from fuse_tui.core.model import CallLog
from fuse_tui.core.plural import plural
from fuse_tui.core.sources import SourceKind, classify_source
from fuse_tui.core.textsafe import escape_control

EXIT_SAME = 0
EXIT_DIFFERENT = 1
EXIT_TROUBLE = 2
FORMATS = ("text", "json")
JSON_VERSION = 1
# The side-by-side table: a step's label is cut to this many characters in its column.
_LABEL_WIDTH = 28
_MARKS = {
    RowStatus.SAME: "=",
    RowStatus.CHANGED: "~",
    RowStatus.ONLY_A: "<",
    RowStatus.ONLY_B: ">",
}

_EPILOG = """\
A and B are what `fuse-tui show` takes: a dump file (JSON or XML), - for stdin (one of them),
or a session ID (fetched from Fuse, or the archived copy). A dump holding several calls needs
one chosen: FILE#N (the N-th call, from 1) or FILE#SESSION_ID.

exit status: 0 the calls took the same path (same steps, same caller input and errors in each;
timings may differ), 1 they differ, 2 trouble (a source could not be read, a bad command line,
the output could not be written whole). A reader that stops reading (| head) does not change
the status.
"""


class DiffTrouble(Exception):
    """A source gave no call to compare; the message is one sentence."""


@dataclass(frozen=True)
class Named:
    """One side: the call, and the words that name it (the SOURCE as typed)."""

    log: CallLog
    source: str


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare two calls: where their paths part, steps, timings, errors",
        description="Compare two calls step by step: the first step where they part (what A "
        "did, what B did, with their errors), then every step side by side, the steps whose "
        "duration differs, each call's errors and how each ended.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("a", metavar="A", help="the first call (see below)")
    parser.add_argument("b", metavar="B", help="the second call")
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="text",
        help='text: for reading (default); json: for scripts ("version": 1, keys in the README)',
    )
    from fuse_tui.cli.remote import add_archive_options, add_connection_options

    add_connection_options(parser)
    add_archive_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.a.split("#")[0] == "-" and args.b.split("#")[0] == "-":
        return _trouble("A and B cannot both be - : stdin can be read only once")
    try:
        a = Named(pick_call(args, args.a), args.a)
        b = Named(pick_call(args, args.b), args.b)
    except DiffTrouble as exc:
        return _trouble(str(exc))
    diff = compare_calls(a.log, b.log)
    if args.format == "json":
        # json_text: C1 controls and bidi overrides from the logs written as \u escapes, as
        # every JSON output of fuse-tui writes them (json.dumps leaves them raw).
        text = json_text(diff_json(diff, a.source, b.source)) + "\n"
    else:
        text = "".join(line + "\n" for line in diff_lines(diff, a.source, b.source))
    failure = _write_whole(text)
    if failure is not None:
        return failure
    return EXIT_SAME if diff.same_path else EXIT_DIFFERENT


def _trouble(message: str) -> int:
    fail(message)
    return EXIT_TROUBLE


# --- sources ----------------------------------------------------------------------------------


def split_selector(word: str) -> tuple[str, str | None]:
    """``calls.json#2`` → (``calls.json``, ``2``); a word without a usable ``#`` is kept whole.

    A file whose own name holds ``#`` is that file; the part before the last ``#`` must be ``-``
    or name a file for the rest to be a selector (a session ID never holds ``#``).
    """
    if "#" not in word or _exists(word):
        return word, None
    base, selector = word.rsplit("#", 1)
    if base == "-" or classify_source(base) is SourceKind.FILE:
        return base, selector
    return word, None


def _exists(path: str) -> bool:
    try:
        return Path(path).expanduser().exists()
    except (OSError, ValueError):
        return False


def pick_call(args: argparse.Namespace, word: str) -> CallLog:
    """The one call ``word`` names (``FILE``, ``FILE#N``, ``FILE#SESSION_ID``, ``-``, a session
    ID); DiffTrouble with one sentence when there is none, or several and none chosen."""
    source, selector = split_selector(word)
    where = "stdin" if source == "-" else escape_control(source)
    try:
        document = load_source(args, source)
    except SourceError as exc:
        raise DiffTrouble(exc.message) from None
    if not isinstance(document, LogsDocument):
        raise DiffTrouble(f"{where}: this is a call list, not a call log; compare two call logs")
    # Positions in the answer as written: the unreadable calls keep theirs (CallProblem.index).
    failed = {problem.index: problem for problem in document.problems}
    total = len(document.logs) + len(failed)
    positions = [n for n in range(1, total + 1) if n not in failed]
    calls = dict(zip(positions, document.logs, strict=True))
    if selector is None:
        if total == 1 and calls:
            return calls[1]
        if total == 1:
            raise DiffTrouble(f"{where}: {failed[1].message}")
        if total == 0:
            raise DiffTrouble(f"{where}: holds no call to compare")
        raise DiffTrouble(
            f"{where} holds {total} calls ({_call_names(document, failed)}); "
            f"choose one: {where}#N (from 1) or {where}#SESSION_ID"
        )
    selector = selector.strip()
    if selector.isdigit():
        number = int(selector)
        if number in calls:
            return calls[number]
        if number in failed:
            raise DiffTrouble(f"{where}#{number}: {failed[number].message}")
        raise DiffTrouble(f"{where}#{selector}: there are {total} calls, numbered from 1")
    found = [log for log in document.logs if log.session_id == selector]
    if found:
        return found[0]
    named = [p for p in failed.values() if p.session_id == selector]
    if named:
        raise DiffTrouble(f"{where}#{escape_control(selector)}: {named[0].message}")
    raise DiffTrouble(
        f"{where}#{escape_control(selector)}: no call with that session ID "
        f"({_call_names(document, failed)})"
    )


def _call_names(document: LogsDocument, failed: dict[int, Any]) -> str:
    """``1: 300060;001;…, 2: (no session ID)`` — at most five, then how many more."""
    names: list[str] = []
    logs = iter(document.logs)
    total = len(document.logs) + len(failed)
    for n in range(1, min(total, 5) + 1):
        if n in failed:
            names.append(f"{n}: {failed[n].session_id or '?'} (unreadable)")
        else:
            names.append(f"{n}: {next(logs).session_id or '(no session ID)'}")
    if total > 5:
        names.append(f"… {total - 5} more")
    return escape_control(", ".join(names))


# --- text -------------------------------------------------------------------------------------


def diff_lines(diff: CallDiff, name_a: str, name_b: str) -> Iterator[str]:
    """The comparison for a terminal, one line per string; every piece of log content escaped."""
    yield _side_header("A", diff.a, name_a)
    yield _side_header("B", diff.b, name_b)
    yield ""
    divergence = diff.divergence
    if divergence is None:
        yield "Same path: both calls took the same steps, with the same input and errors."
    else:
        yield "The calls differ. " + escape_control(divergence.summary)
        yield from _step_quote("A", divergence.a)
        yield from _step_quote("B", divergence.b)
    if not diff.aligned:
        yield (
            "Note: the calls differ in too many steps to align them; the differing steps are "
            "listed as A's, then B's, unpaired."
        )
    yield ""
    yield "Steps (= same, ~ changed, < only in A, > only in B; seconds each step lasted):"
    yield from _table(diff.rows)
    flagged = diff.timing_rows
    if flagged:
        yield ""
        yield "Timing (steps whose duration differs by more than max(1 s, 50 %)):"
        for row in flagged:
            assert row.a is not None and row.b is not None  # timing_differs: both are there
            yield (
                f"  {escape_control(row.a.title)}: A {row.a.duration}s, B {row.b.duration}s "
                f"({_signed(row.duration_delta)})"
            )
    yield ""
    yield "Errors:"
    yield from _errors("A", diff.a)
    yield from _errors("B", diff.b)
    yield ""
    yield "Ended:"
    yield from _ending("A", diff.a)
    yield from _ending("B", diff.b)


def _side_header(letter: str, side: CallSide, name: str) -> str:
    where = "stdin" if name == "-" else name
    parts = [escape_control(where)]
    session = side.log.session_id
    if session and session != where:
        parts.append(f"call {escape_control(session)}")
    entries = plural(len(side.log.entries), "entry", "entries")
    parts.append(f"{plural(len(side.steps), 'step')}, {entries}")
    return f"{letter}: " + " · ".join(parts)


def _step_quote(letter: str, facts: StepFacts | None) -> Iterator[str]:
    if facts is None:
        yield f"  {letter}  had ended"
        return
    yield f"  {letter}  {escape_control(facts.title)}: {escape_control(facts.first_line)}"
    for value in facts.inputs:
        yield f"       entered: {escape_control(value)}"
    for line in facts.errors:
        yield f"       error: {escape_control(line)}"


def _cell(facts: StepFacts | None) -> str:
    if facts is None:
        return " " * (4 + _LABEL_WIDTH + 6)
    label = escape_control(facts.label)
    if len(label) > _LABEL_WIDTH:
        label = label[: _LABEL_WIDTH - 1] + "…"
    duration = "" if facts.duration is None else f"{facts.duration}s"
    return f"{facts.number:>3} {label:<{_LABEL_WIDTH}} {duration:>5}"


def _table(rows: Iterable[AlignedRow]) -> Iterator[str]:
    any_row = False
    for row in rows:
        any_row = True
        flag = ""
        if row.timing_differs:
            flag = f"  {_signed(row.duration_delta)} !"
        yield f"  {_MARKS[row.status]} {_cell(row.a)} | {_cell(row.b)}{flag}".rstrip()
        for reason in row.reasons:
            yield f"      ↳ {escape_control(reason)}"
    if not any_row:
        yield "  (neither call has a step)"


def _signed(seconds: int | None) -> str:
    return "" if seconds is None else f"{seconds:+d}s"


def _errors(letter: str, side: CallSide) -> Iterator[str]:
    errors = side.errors
    if not errors:
        yield f"  {letter}: none"
        return
    for facts, line in errors:
        yield f"  {letter}: {escape_control(facts.title)}: {escape_control(line)}"


def _ending(letter: str, side: CallSide) -> Iterator[str]:
    last = side.ending
    if last is None:
        yield f"  {letter}: (no entries)"
        return
    yield f"  {letter}: {escape_control(last.title)}: {escape_control(last.last_line)}"


# --- JSON -------------------------------------------------------------------------------------


def diff_json(diff: CallDiff, name_a: str, name_b: str) -> dict[str, Any]:
    """The comparison as the JSON interface documented in the README (``"version": 1``).

    Strings are the log's own (JSON escapes them); nothing is cut.
    """
    divergence = diff.divergence
    return {
        "version": JSON_VERSION,
        "same_path": diff.same_path,
        "aligned": diff.aligned,
        "a": _side_json(diff.a, name_a),
        "b": _side_json(diff.b, name_b),
        "divergence": None
        if divergence is None
        else {
            "row": divergence.row,
            "summary": divergence.summary,
            "after": _step_json(divergence.after),
            "a": _step_json(divergence.a),
            "b": _step_json(divergence.b),
        },
        "steps": [_row_json(row) for row in diff.rows],
    }


def _side_json(side: CallSide, name: str) -> dict[str, Any]:
    return {
        "source": name,
        "session_id": side.log.session_id,
        "entries": len(side.log.entries),
        "steps": len(side.steps),
        "errors": [
            {"step": facts.number, "label": facts.label, "line": line}
            for facts, line in side.errors
        ],
        "ended": _step_json(side.ending),
    }


def _step_json(facts: StepFacts | None) -> dict[str, Any] | None:
    if facts is None:
        return None
    step = facts.step
    return {
        "number": step.number,
        "module": step.module,
        "variable": step.variable,
        "label": step.label,
        "first_entry": step.first,
        "last_entry": step.last,
        "duration": facts.duration,
        "first_line": facts.first_line,
        "last_line": facts.last_line,
        "inputs": list(facts.inputs),
        "errors": list(facts.errors),
    }


def _row_json(row: AlignedRow) -> dict[str, Any]:
    return {
        "status": row.status.value,
        "a": _step_json(row.a),
        "b": _step_json(row.b),
        "reasons": list(row.reasons),
        "duration_delta": row.duration_delta,
        "timing_differs": row.timing_differs,
    }


# --- output -----------------------------------------------------------------------------------


def _write_whole(text: str) -> int | None:
    """Write ``text`` to stdout and flush; None when it all went out (or the reader went away:
    the comparison's answer stands), else EXIT_TROUBLE after one error line.

    The front door's guard (cli.stdout_guard) would say the same error with status 1, which
    here means "the calls differ": so the failure is taken here and the guard told to drop what
    is still buffered (nothing is then left to fail again on its final flush).
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_pending()
        return None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if not _discard_pending():
            raise
        fail(f"cannot write the output: {reason}")
        return EXIT_TROUBLE
    return None


def _discard_pending() -> bool:
    """Tell the guarded stdout's writer to drop what is left; False if stdout is not guarded."""
    from fuse_tui.cli.stdout_guard import WholeWriter

    buffer = getattr(sys.stdout, "buffer", None)
    raw = getattr(buffer, "raw", buffer)
    if isinstance(raw, WholeWriter):
        raw.discard()
        return True
    return False
