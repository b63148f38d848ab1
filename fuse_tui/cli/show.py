"""``fuse-tui show SOURCE``: print a saved Fuse answer as a table, JSON, XML or NDJSON.

Reading (``cli.source_loading.load_source``, shared with ``diff``) and printing
(:func:`render_document`) are separate so other commands can print documents they obtained
elsewhere (a session fetched from the API, an archived call) and so a filter (``--grep``) can be
passed to the printing side.

Log content is data: every piece of it goes through :func:`escape_control` in the text table, and
the JSON/XML writers escape control and bidi characters themselves, so nothing from a log can
reach the terminal as a control sequence.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from fuse_tui.cli.common import EXIT_OK, fail, usage_error
from fuse_tui.cli.source_loading import SourceError, load_source, source_data
from fuse_tui.core.formats import CallListDocument, Document, LogsDocument, ReadError
from fuse_tui.core.formats.json_fast import PlainFields
from fuse_tui.core.formats.reader import plain_call_fields
from fuse_tui.core.query_syntax import QueryError
from fuse_tui.core.sources import SourceKind, classify_source
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timestamps import format_timestamp

if TYPE_CHECKING:
    # The table of a plain log is printed from its fields (see _print_plain_table): the models,
    # and pydantic under them, load only for the documents that need them.
    from fuse_tui.core.model import CallList, CallLog, LogEntry

FORMATS = ("text", "json", "xml", "ndjson")
EntryFilter = Callable[["LogEntry"], bool]

# Plain ANSI SGR, one per class; error rows stand out as a whole.
_SGR_RESET = "\x1b[0m"
_CLASS_SGR = {
    "error": "\x1b[1;31m",
    "prompt": "\x1b[36m",
    "event": "\x1b[33m",
    "debug": "\x1b[2m",
    "info": "\x1b[32m",
}
_UNKNOWN_SGR = "\x1b[35m"
_HEADER_SGR = "\x1b[1m"
_MAX_CLASS_WIDTH = 10
_MAX_MODULE_WIDTH = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help="print a call log from a dump file, stdin or Fuse (by session ID)",
        description="Print a call log: a saved Fuse answer (JSON or XML, detected from the "
        "content), or one fetched from Fuse when SOURCE is a session ID or a pasted "
        "/api/call/ URL.",
    )
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="a dump file (JSON or XML), - for stdin, or a session ID such as "
        "'300060;001;1529552581' (quote it: ; ends a shell command)",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="text",
        help="text: aligned table (default); json/xml: the log re-emitted normalised; "
        "ndjson: one entry per line, with session_id when known",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the table by class (auto: on a terminal or when FORCE_COLOR is set; never "
        "when NO_COLOR is set)",
    )
    parser.add_argument(
        "-d", "--data", action="store_true", help="text format: also print each entry's data"
    )
    # The TUI's / filter language (core.query), so both keep the same entries.
    parser.add_argument(
        "--grep",
        metavar="QUERY",
        help="keep entries matching QUERY, the TUI's filter language: words (all must match), "
        '"a phrase", field:value, status>=500, re:REGEX, !term; see README "Search and filter"',
    )
    parser.add_argument(
        "--redact",
        action="store_true",
        help="mask caller inputs, phone numbers, e-mail addresses and sensitive values "
        "(the same value, the same token) for pasting into a ticket; in every format",
    )
    # SOURCE may be a session ID: the connection options of `get`/`calls`.
    from fuse_tui.cli.remote import add_archive_options, add_connection_options

    add_connection_options(parser)
    add_archive_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data: bytes | None = None
    if _plain_table_wanted(args):
        # The table of a file or stdin: a plain log (the common case) is printed from the
        # fields msgspec reads, without building models or importing pydantic (~70 ms of a
        # start); anything else is read from the same bytes below, as ever.
        try:
            data = source_data(args.source)
        except ReadError as exc:
            return fail(str(exc))
        fields = plain_call_fields(data, with_data=args.data)
        if fields is not None:
            return _print_plain_table(fields, args)
    # The one rule for what SOURCE names (core.sources), shared with `diff` and the TUI's
    # launcher; a session ID is fetched through the service (archive fallback included).
    try:
        document = load_source(args, args.source, data)
    except SourceError as exc:
        return usage_error(exc.message) if exc.usage else fail(exc.message)
    out = sys.stdout
    color = wants_color(out) if args.color == "auto" else args.color == "always"
    keep: EntryFilter | None = None
    grep = getattr(args, "grep", None)
    if grep:
        # --grep: the same matching rules as the TUI's filter. Loaded only then: the query
        # language and its regex engine cost ~40 ms at start.
        from fuse_tui.core.query import Query

        try:
            keep = Query.parse(grep, strict=True).matches
        except QueryError as exc:  # an invalid regular expression: the command line is wrong
            return usage_error(f"--grep: {exc}")
    shown = 0

    def counted(entry: LogEntry) -> bool:
        nonlocal shown
        passed = keep is None or keep(entry)
        shown += passed
        return passed

    # Without --grep every entry is shown: no filter, so a writer can take the compact entries
    # as they are (building a model per entry only to count it would cost more than writing).
    entry_filter: EntryFilter | None = None if keep is None else counted
    if isinstance(document, LogsDocument) and keep is None:
        shown = sum(len(log.entries) for log in document.logs)
    if getattr(args, "redact", False):
        # Redacted as a whole (tokens shared by every call); --grep chooses on the real values.
        from fuse_tui.core.client import FuseError
        from fuse_tui.core.redact import RedactConfigError, redact_document
        from fuse_tui.core.redact.config import configured_rules

        try:
            rules = configured_rules()
        except (FuseError, RedactConfigError) as exc:
            return fail(str(exc))
        try:
            document = redact_document(document, rules, keep=entry_filter)
        except QueryError as exc:
            return fail(f"--grep: {exc}")
        entry_filter = None  # chosen above
    try:
        render_document(
            document, args.format, out, filter=entry_filter, color=color, show_data=args.data
        )
    except QueryError as exc:  # a regex too slow for this log stops here, said in one line
        out.flush()
        return fail(f"--grep: {exc}")
    if not shown and isinstance(document, LogsDocument):
        # Said on stderr: a script piping the entries gets no output rather than a note.
        what = "no entry matches --grep" if keep else "the log has no entries"
        sys.stderr.write(f"fuse-tui: {what}\n")
    return report_problems(args.source, document)


def _plain_table_wanted(args: argparse.Namespace) -> bool:
    """The text table of a file or stdin, every entry shown as it is."""
    return (
        args.format == "text"
        and not getattr(args, "grep", None)
        and not getattr(args, "redact", False)
        and classify_source(args.source) in (SourceKind.FILE, SourceKind.STDIN)
    )


def _print_plain_table(fields: PlainFields, args: argparse.Namespace) -> int:
    """What :func:`run` prints for the one plain log ``fields`` reads, byte for byte: the
    table (no header: one call), or the note that it has no entries."""
    out = sys.stdout
    color = wants_color(out) if args.color == "auto" else args.color == "always"
    _write_text(out, plain_lines(fields, color=color, data=args.data))
    if not fields.kinds:
        sys.stderr.write("fuse-tui: the log has no entries\n")
    return EXIT_OK


def report_problems(source: str, document: Document) -> int:
    """After the readable calls were printed: one warning per call left out, then the error
    that makes the exit status 1 (the output is incomplete, so never a silent success)."""
    if not isinstance(document, LogsDocument) or not document.problems:
        return EXIT_OK
    problems = document.problems
    where = "stdin" if source == "-" else escape_control(source)
    for problem in problems:
        message = escape_control(problem.message)
        sys.stderr.write(f"fuse-tui: warning: {where}: {message}; this call was left out\n")
    total = len(problems) + len(document.logs)
    return fail(
        f"{len(problems)} of {total} calls could not be read (above); the others were shown"
    )


def wants_color(out: IO[str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org);
    FORCE_COLOR (https://force-color.org) colours a pipe too, but NO_COLOR wins."""
    if os.environ.get("NO_COLOR", ""):
        return False
    if os.environ.get("FORCE_COLOR", ""):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def render_document(
    document: Document,
    fmt: str,
    out: IO[str],
    *,
    filter: EntryFilter | None = None,  # shadows the builtin on purpose: the hook's name
    color: bool = False,
    show_data: bool = False,
) -> None:
    """Print ``document`` to ``out`` in ``fmt`` (one of FORMATS).

    ``filter`` keeps only the entries it accepts (in every format); ``color`` adds SGR colours
    to the text table.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if isinstance(document, LogsDocument) and filter is not None:
        document = LogsDocument(
            [_filtered(log, filter) for log in document.logs], document.kind, document.format
        )
    if fmt == "json":
        from fuse_tui.core.formats.json_writer import dump_document_json

        _write_bytes(out, dump_document_json(document))
    elif fmt == "xml":
        from fuse_tui.core.formats.xml_writer import dump_document_xml  # the one format needing it

        _write_bytes(out, dump_document_xml(document))
    elif fmt == "ndjson":
        if isinstance(document, CallListDocument):
            _write_bytes(out, _call_list_ndjson(document.calls))
        else:
            from fuse_tui.core.formats.json_writer import dump_ndjson

            _write_bytes(out, dump_ndjson(document.logs))
    elif isinstance(document, CallListDocument):
        _write_text(out, call_list_lines(document.calls))
    else:
        headers = document.kind == "all_logs" or len(document.logs) > 1
        _write_text(out, log_lines(document.logs, color=color, headers=headers, data=show_data))


def _filtered(log: CallLog, keep: EntryFilter) -> CallLog:
    return log.model_copy(update={"entries": [entry for entry in log.entries if keep(entry)]})


# --- text table -------------------------------------------------------------------------------


def local_time(timestamp: object) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in the local time zone; ``-`` when absent; the raw number when
    it is no time (core.timestamps decides, for every view)."""
    return format_timestamp(timestamp)


def log_lines(
    logs: Sequence[CallLog], *, color: bool = False, headers: bool = False, data: bool = False
) -> Iterable[str]:
    """The aligned table of one or several logs, one display line per string (no newline)."""
    if headers and not logs:
        yield "(no calls)"
    for log in logs:
        if headers:
            title = call_header(log)
            yield f"{_HEADER_SGR}{title}{_SGR_RESET}" if color else title
        if not log.entries:
            if headers:  # under its call's header; a lone empty log prints nothing (see run)
                yield "(no entries)"
            continue
        classes = [escape_control(entry.kind) for entry in log.entries]
        modules = [escape_control(entry.event.module_type or "-") for entry in log.entries]
        class_width, module_width = _column_widths(classes, modules)
        for entry, kind, module in zip(log.entries, classes, modules, strict=True):
            yield _table_row(
                entry.kind,
                kind.ljust(class_width),
                module.ljust(module_width),
                entry.timestamp,
                entry.event.line,
                color=color,
            )
            if data and entry.event.data:
                yield "    " + data_text(entry.event.data)


def plain_lines(fields: PlainFields, *, color: bool = False, data: bool = False) -> Iterable[str]:
    """The table :func:`log_lines` prints of one log (no header), from its entries' fields
    (``reader.plain_call_fields``, with ``data`` read when ``data``) instead of their models:
    the same rows."""
    if not fields.kinds:
        return
    classes = [escape_control(kind) for kind in fields.kinds]
    modules = [escape_control(module or "-") for module in fields.module_types]
    class_width, module_width = _column_widths(classes, modules)
    if data and fields.data is None:
        raise ValueError("the entries' data was not read (plain_call_fields(with_data=True))")
    datas = fields.data if data and fields.data is not None else [None] * len(fields.kinds)
    for kind, class_cell, module, stamp, line, entry_data in zip(
        fields.kinds, classes, modules, fields.timestamps, fields.lines, datas, strict=True
    ):
        yield _table_row(
            kind,
            class_cell.ljust(class_width),
            module.ljust(module_width),
            stamp,
            line,
            color=color,
        )
        if entry_data:
            yield "    " + data_text(entry_data)


def _column_widths(classes: list[str], modules: list[str]) -> tuple[int, int]:
    return (
        min(max(map(len, classes)), _MAX_CLASS_WIDTH),
        min(max(map(len, modules)), _MAX_MODULE_WIDTH),
    )


def _table_row(
    kind: str, class_cell: str, module_cell: str, timestamp: Any, line: str, *, color: bool
) -> str:
    """One entry's row: ``kind`` as read (for its colour), its two cells padded already."""
    text = escape_control(line)
    cells = (local_time(timestamp), class_cell, module_cell)
    if color:
        return _colored_row(kind, cells, text)
    return f"{cells[0]}  {cells[1]}  {cells[2]}  {text}".rstrip()


def _colored_row(kind: str, cells: tuple[str, str, str], line: str) -> str:
    sgr = _CLASS_SGR.get(kind, _UNKNOWN_SGR)
    if kind == "error":
        return f"{sgr}{cells[0]}  {cells[1]}  {cells[2]}  {line}{_SGR_RESET}"
    kind_cell = cells[1].rstrip()
    padding = " " * (len(cells[1]) - len(kind_cell))
    return f"{cells[0]}  {sgr}{kind_cell}{_SGR_RESET}{padding}  {cells[2]}  {line}".rstrip()


def data_text(data: dict[str, Any]) -> str:
    """``key=value`` pairs on one line; nested values as compact JSON; all escaped."""
    from fuse_tui.core.formats.json_writer import json_text

    parts = []
    for key, value in data.items():
        shown = value if isinstance(value, str) else json_text(value, pretty=False)
        parts.append(f"{escape_control(str(key))}={escape_control(shown)}")
    return "  ".join(parts)


def call_header(log: CallLog) -> str:
    """``== call <session> · src → dest · start · N entries ==`` from what is known."""
    parts = [f"call {escape_control(log.session_id)}" if log.session_id else "call"]
    src, dest = log.meta.get("src"), log.meta.get("dest")
    if src is not None or dest is not None:
        parts.append(f"{_meta_text(src)} → {_meta_text(dest)}")
    start = log.meta.get("start") or log.first_timestamp
    if start not in (None, ""):
        parts.append(local_time(start))
    count = len(log.entries)
    parts.append(f"{count} entr{'y' if count == 1 else 'ies'}")
    return "== " + " · ".join(parts) + " =="


def call_list_lines(calls: CallList) -> Iterable[str]:
    """A saved call list as the table `fuse-tui calls` prints, and how many calls it holds."""
    from fuse_tui.cli.call_table import call_table_lines

    yield from call_table_lines(calls.calls)
    shown = len(calls.calls)
    total = calls.total_calls
    yield f"{shown} call{'s' if shown != 1 else ''}" + (f" of {total}" if total > shown else "")


def _meta_text(value: Any) -> str:
    return "-" if value in (None, "") else escape_control(str(value))


def _call_list_ndjson(calls: CallList) -> bytes:
    from fuse_tui.core.formats.json_writer import json_text

    lines = [json_text(call.model_dump(mode="json"), pretty=False) for call in calls.calls]
    return "".join(line + "\n" for line in lines).encode("utf-8")


# --- output -----------------------------------------------------------------------------------


def _write_bytes(out: IO[str], data: bytes) -> None:
    """Machine formats are UTF-8 whatever the locale: write bytes when the stream allows it."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))


def _write_text(out: IO[str], lines: Iterable[str]) -> None:
    """Human text in the terminal's encoding; unencodable characters become visible escapes."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    buffer = getattr(out, "buffer", None)
    out.flush()
    for line in lines:
        if buffer is not None:
            buffer.write((line + "\n").encode(encoding, "backslashreplace"))
        else:
            out.write(line + "\n")
    if buffer is not None:
        buffer.flush()
    out.flush()
