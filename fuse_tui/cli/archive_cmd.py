"""``fuse-tui archive sync|search|list|stats|export|import|path``: the archive from a shell."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from fuse_tui.cli import argtypes, import_progress
from fuse_tui.cli.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    aligned_lines,
    cell,
    fail,
    usage_error,
)
from fuse_tui.cli.progress_line import BAR_WIDTH, ProgressLine
from fuse_tui.cli.remote import add_connection_options, add_window_options, call_window
from fuse_tui.cli.search_table import table_pieces
from fuse_tui.core.archive import Archive, ArchiveError, SearchHit, export_call, import_file
from fuse_tui.core.archive.autosave import resolve_archive_path
from fuse_tui.core.archive.search_run import table_rows
from fuse_tui.core.formats import ReadError
from fuse_tui.core.limits import DEFAULT_SYNC_CONCURRENCY
from fuse_tui.core.phone import normalize_number
from fuse_tui.core.plural import plural
from fuse_tui.core.timestamps import format_timestamp

if TYPE_CHECKING:
    from fuse_tui.core.service import FuseService
    from fuse_tui.core.sync import SyncReport

# Fuse keeps detailed logs for 5 days: a sync looks that far back unless told otherwise.
SYNC_DEFAULT_SINCE = "5d"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "archive",
        help="the local archive of call logs: sync, search, list, stats, export, import",
        description="Every call log fuse-tui fetches is kept in a local SQLite archive, "
        "past Fuse's 5-day window. These commands fill, search and export it.",
    )
    archive_help = "archive file (default: the config's archive_path, else the platform data dir)"
    # Taken before the action too (`archive --archive X list`): SUPPRESS keeps an action's
    # parser from writing its None over a path given there.
    parser.add_argument("--archive", metavar="PATH", type=Path, help=archive_help)
    actions = parser.add_subparsers(dest="archive_action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--archive", metavar="PATH", type=Path, default=argparse.SUPPRESS, help=archive_help
    )
    _register_sync(actions, common)
    _register_search(actions, common)
    _register_stats(actions, common)

    listing = actions.add_parser("list", parents=[common], help="archived calls, newest first")
    listing.add_argument(
        "--number",
        type=argtypes.phone_number,
        metavar="PHONE",
        help="only calls from or to this phone number (+1 617 555-0142 finds 6175550142)",
    )
    listing.add_argument(
        "--since",
        type=argtypes.duration,
        metavar="DURATION",
        help="only calls of the last 30d, 12h…",
    )
    listing.add_argument(
        "--limit", type=argtypes.row_limit, default=None, help="at most N calls (default: all)"
    )
    listing.add_argument(
        "-f", "--format", choices=["text", "json"], default="text", help="text (default) or json"
    )
    listing.set_defaults(func=run_list)

    export = actions.add_parser(
        "export", parents=[common], help="write archived calls to files, one per call"
    )
    export.add_argument(
        "session_ids", nargs="*", metavar="SESSION_ID", help="archived calls to export (or --all)"
    )
    export.add_argument("--all", action="store_true", help="export every archived call")
    export.add_argument("--to", required=True, type=Path, metavar="DIR", help="target folder")
    export.add_argument(
        "-f",
        "--format",
        choices=["json", "xml"],
        default="json",
        help="file format (default json); a call archived in that format is written byte for "
        "byte as Fuse served it, the other is converted",
    )
    export.add_argument(
        "--redact",
        action="store_true",
        help="mask caller inputs, phone numbers, e-mail addresses and sensitive values in the "
        "files (never byte for byte then); see the README's Redaction section",
    )
    export.set_defaults(func=run_export)

    imp = actions.add_parser(
        "import", parents=[common], help="add saved dumps (single calls or all_logs) to the archive"
    )
    imp.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="a saved /api/call answer (JSON or XML) or an /api/all_logs dump",
    )
    imp.add_argument(
        "--session-id", help="session ID of a single-call dump (default: from the file name)"
    )
    imp.add_argument(
        "--progress",
        choices=import_progress.MODES,
        default="auto",
        help="progress of a dump of many calls, on stderr (auto: a bar on a terminal, none "
        "when piped; lines: a line every 2 s)",
    )
    imp.set_defaults(func=run_import)

    path = actions.add_parser("path", parents=[common], help="print the archive file's path")
    path.set_defaults(func=run_path)


# ------------------------------------------------------------------------------------- helpers
def archive_path(args: argparse.Namespace) -> Path:
    """The archive this command works on: the service's one rule (``--archive``, else the
    settings' archive_path, else the platform default), worked out once per command."""
    resolved: Path | None = getattr(args, "_resolved_archive_path", None)
    if resolved is None:
        if getattr(args, "archive", None):
            # The service's rule for a path given (expanded, nothing read), without building
            # the service: `archive search --archive X` imports no settings or HTTP client.
            resolved = resolve_archive_path(args.archive)
        else:
            resolved = _archive_service(args).archive_path
        assert resolved is not None  # archive commands always have archiving on
        args._resolved_archive_path = resolved
    return resolved


def _archive_service(args: argparse.Namespace) -> FuseService:
    """The core service for finding the archive without ``--archive``: no credentials, no key
    command run. These commands are about the archive, so archiving is on here whatever
    ``[archive] enabled`` says. (With ``--archive`` nothing else is read, so a broken config
    file does not stop it: see :func:`archive_path`.)
    """
    from fuse_tui.core.service import FuseService
    from fuse_tui.core.settings import load_settings

    try:
        # The key is not needed to find a file: never run developer_key_command (a gpg
        # prompt) for `archive list`.
        settings = load_settings(resolve_key_command=False, archive_enabled=True)
    except Exception as exc:  # a broken config file: say so instead of a traceback
        raise ArchiveError(f"cannot read the settings to find the archive: {exc}") from exc
    return FuseService(settings)


def _open(args: argparse.Namespace) -> Archive:
    return Archive.open(archive_path(args))


def _missing_archive(args: argparse.Namespace, *, note_only: bool) -> int | None:
    """An exit status when there is no archive file to read, else None.

    Reading commands must not create an archive (and its folders) at a mistyped path. With no
    --archive and nothing at the default path yet, ``note_only`` commands just say how to start.
    """
    try:
        path = archive_path(args)
    except ArchiveError as exc:
        return fail(str(exc))
    if path.exists():
        return None
    if note_only and not getattr(args, "archive", None):
        sys.stderr.write(
            "No archive yet: run `fuse-tui archive sync` (or `fuse-tui archive import FILE`).\n"
        )
        return EXIT_OK
    return fail(
        f"there is no archive at {path}; check the path, or fill one with `fuse-tui archive sync`"
    )


def _number(args: argparse.Namespace) -> str | None:
    """--number as the archive keeps numbers: what Fuse lists (``core.phone``)."""
    return normalize_number(args.number) if args.number else None


def _utc(epoch: float | None) -> str:
    return format_timestamp(epoch, "%Y-%m-%d %H:%M:%SZ", utc=True)


def _search_window(args: argparse.Namespace) -> tuple[float | None, int | None]:
    """For `list` and `search`: (the --since cut-off, None), or (None, the exit status) when
    there is no archive to read. --since is seconds already (argtypes.duration)."""
    since = None if args.since is None else time.time() - args.since
    return since, _missing_archive(args, note_only=True)


# ---------------------------------------------------------------------------------------- path
def run_path(args: argparse.Namespace) -> int:
    try:
        sys.stdout.write(f"{archive_path(args)}\n")
    except ArchiveError as exc:
        return fail(str(exc))
    return EXIT_OK


# ---------------------------------------------------------------------------------------- list
def run_list(args: argparse.Namespace) -> int:
    since, refused = _search_window(args)
    if refused is not None:
        return refused
    try:
        with _open(args) as archive:
            calls = archive.list_calls(number=_number(args), since=since, limit=args.limit)
    except ArchiveError as exc:
        return fail(str(exc))
    if args.format == "json":
        rows = [
            {
                "session_id": c.session_id,
                "start": c.start,
                "end": c.end,
                "src": c.src,
                "dest": c.dest,
                "type": c.type,
                "events": c.event_count,
                "classes": c.class_counts,
                "fetched_at": c.fetched_at,
                "origin": c.origin,
                "format": c.format,
            }
            for c in calls
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    if not calls:
        sys.stderr.write("The archive has no calls yet: run `fuse-tui archive sync`.\n")
        return EXIT_OK
    table = [
        (
            _utc(c.when),
            cell(c.session_id),
            f"{cell(c.src or '-')} → {cell(c.dest or '-')}",
            plural(c.event_count, "event"),
            cell(" ".join(f"{k}={v}" for k, v in sorted(c.class_counts.items()))),
            f"(fetched {_utc(c.fetched_at)})",
        )
        for c in calls
    ]
    for line in aligned_lines(table):
        sys.stdout.write(line + "\n")
    return EXIT_OK


# -------------------------------------------------------------------------------------- search
def _register_search(actions: Any, common: argparse.ArgumentParser) -> None:
    search = actions.add_parser(
        "search",
        parents=[common],
        help="full-text search over archived events",
        description="The TUI's filter language: whole words (all must match, in the line or data "
        'values), "a phrase", prefix*, class:/module:/line:/var:, field:value, status>=500, '
        're:REGEX, !term; see README "Search and filter".',
    )
    search.add_argument(
        "query",
        nargs="?",
        default="",
        metavar="QUERY",
        help="words to find (empty: every event that matches the filters)",
    )
    search.add_argument(
        "--class", dest="classes", action="append", metavar="CLASS", help="repeatable"
    )
    search.add_argument("--module", help="module_type, e.g. rest")
    search.add_argument(
        "--number",
        type=argtypes.phone_number,
        metavar="PHONE",
        help="calls from or to this phone number (+1 617 555-0142 finds 6175550142)",
    )
    search.add_argument("--session", help="only this session ID")
    search.add_argument(
        "--since", type=argtypes.duration, metavar="DURATION", help="events of the last 30d, 12h…"
    )
    search.add_argument(
        "--limit", type=argtypes.row_limit, default=100, help="at most N events (default 100)"
    )
    search.add_argument(
        "-f", "--format", choices=["text", "json"], default="text", help="text (default) or json"
    )
    search.set_defaults(func=run_search)


def run_search(args: argparse.Namespace) -> int:
    since, refused = _search_window(args)
    if refused is not None:
        return refused
    filters = {
        "classes": args.classes,
        "module": args.module,
        "number": _number(args),
        "since": since,
        "session_id": args.session,
        "limit": args.limit,
    }
    try:
        with _open(args) as archive:
            if args.query and not archive.fts_available:
                sys.stderr.write(
                    "fuse-tui: note: this SQLite has no FTS5; searching by substring (slower)\n"
                )
            if args.format == "json":
                hits = archive.search(args.query, **filters)
            else:
                # The table reads only the columns it shows, as plain rows.
                rows = table_rows(archive, args.query, **filters)
    except ArchiveError as exc:
        # A query that is not one is a usage error, as it is for `show --grep`.
        return usage_error(str(exc)) if str(exc).startswith("search: ") else fail(str(exc))
    if args.format == "json":
        sys.stdout.write(_hits_json(hits) + "\n")
        return EXIT_OK
    for piece in table_pieces(rows):
        sys.stdout.write(piece)
    if not rows:
        sys.stderr.write("No archived event matches.\n")
    return EXIT_OK


def _hits_json(hits: list[SearchHit]) -> str:
    rows = [
        {
            "session_id": h.session_id,
            "seq": h.seq,
            "timestamp": h.timestamp,
            "time": _utc(h.timestamp),
            "class": h.class_,
            "module": h.module,
            "line": h.line,
            "data_values": h.data_values,
        }
        for h in hits
    ]
    # ensure_ascii keeps control and bidi characters as \u escapes.
    return json.dumps(rows, indent=2)


# --------------------------------------------------------------------------------------- stats
# Reading this many calls' steps (the first stats over an archive) takes a second or more.
STATS_NOTE_CALLS = 5000


def _register_stats(actions: Any, common: argparse.ArgumentParser) -> None:
    stats = actions.add_parser(
        "stats",
        parents=[common],
        help="what the archive knows across calls: error rate, top errors, slowest steps",
        description="Calls and the share with an error, the most frequent error lines (numbers, "
        "IDs and quoted values masked so alike lines count together), the slowest steps "
        "(median and 95th percentile), calls per hour and the applications seen.",
    )
    stats.add_argument(
        "--since", type=argtypes.duration, metavar="AGE", help="calls of the last 30d, 12h…"
    )
    stats.add_argument(
        "--until",
        type=argtypes.duration,
        metavar="AGE",
        help="calls older than AGE (with --since 7d --until 1d: the six days before yesterday)",
    )
    stats.add_argument(
        "--number",
        type=argtypes.phone_number,
        metavar="PHONE",
        help="only calls from or to this phone number (+1 617 555-0142 finds 6175550142)",
    )
    stats.add_argument("--app", metavar="NAME", help="only calls of this application (any case)")
    stats.add_argument(
        "-f", "--format", choices=["text", "json"], default="text", help="text (default) or json"
    )
    stats.set_defaults(func=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    from fuse_tui.cli.archive_stats_output import stats_json, stats_lines
    from fuse_tui.core.archive.stats import StatsFilter, archive_stats, calls_without_facts

    if args.since is not None and args.until is not None and args.until >= args.since:
        sys.stderr.write("fuse-tui: error: --until must be less long ago than --since\n")
        return EXIT_USAGE
    now = time.time()
    filters = StatsFilter(
        since=None if args.since is None else now - args.since,
        until=None if args.until is None else now - args.until,
        number=_number(args),
        app=args.app or None,
    )
    refused = _missing_archive(args, note_only=True)
    if refused is not None:
        return refused
    try:
        with _open(args) as archive:
            unread = calls_without_facts(archive)
            if unread >= STATS_NOTE_CALLS:
                sys.stderr.write(
                    f"fuse-tui: note: reading the steps of {plural(unread, 'archived call')} "
                    "once; later runs are quick\n"
                )
            stats = archive_stats(archive, filters)
    except ArchiveError as exc:
        return fail(str(exc))
    if args.format == "json":
        sys.stdout.write(json.dumps(stats_json(stats, filters), indent=2) + "\n")
        return EXIT_OK
    if not stats.calls:
        sys.stderr.write(
            "No archived call in this window: widen --since/--until, or drop --number/--app."
            if not filters.is_everything
            else "The archive has no calls yet: run `fuse-tui archive sync`."
        )
        sys.stderr.write("\n")
        return EXIT_OK
    for line in stats_lines(stats):
        sys.stdout.write(line + "\n")
    return EXIT_OK


# ------------------------------------------------------------------------------ export, import
def run_export(args: argparse.Namespace) -> int:
    if bool(args.session_ids) == bool(args.all):
        sys.stderr.write("fuse-tui: error: give SESSION_ID… or --all (not both)\n")
        return EXIT_USAGE
    missing = _missing_archive(args, note_only=False)
    if missing is not None:
        return missing
    # The folder is checked once: a bad --to would otherwise fail once per call, alike.
    folder_problem = _unwritable_folder(args.to)
    if folder_problem:
        return fail(f"--to {args.to}: {folder_problem}")
    rules = None
    if getattr(args, "redact", False):
        from fuse_tui.core.client import FuseError
        from fuse_tui.core.redact import RedactConfigError
        from fuse_tui.core.redact.config import configured_rules

        try:
            rules = configured_rules()
        except (FuseError, RedactConfigError) as exc:
            return fail(str(exc))
    failures = 0
    try:
        with _open(args) as archive:
            ids = [c.session_id for c in archive.list_calls()] if args.all else args.session_ids
            for session_id in ids:
                try:
                    if rules is not None:
                        from fuse_tui.core.redact.export import export_redacted_call

                        result = export_redacted_call(
                            archive, session_id, args.to, args.format, rules
                        )
                    else:
                        result = export_call(archive, session_id, args.to, args.format)
                except ArchiveError as exc:
                    failures += 1
                    fail(str(exc))
                    continue
                sys.stdout.write(f"{result.path}\n")
    except ArchiveError as exc:
        return fail(str(exc))
    return EXIT_ERROR if failures else EXIT_OK


def _unwritable_folder(folder: Path) -> str | None:
    """Why ``folder`` cannot take the exported files (creating it if needed), or None."""
    if folder.exists() and not folder.is_dir():
        return "this is a file, not a folder; give a folder to write one file per call into"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create this folder: {exc.strerror or exc}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "this folder is not writable"
    return None


# How Fuse's session IDs look (300060;001;1529552581). They are opaque, so this only decides
# whether a session ID taken from a file name deserves a note.
_FUSE_SHAPED_ID = re.compile(r"[0-9]+(?:;[0-9]+)+")


def run_import(args: argparse.Namespace) -> int:
    if args.session_id and len(args.files) > 1:
        sys.stderr.write("fuse-tui: error: --session-id needs exactly one FILE\n")
        return EXIT_USAGE
    failures = 0
    stored = 0
    printer = import_progress.ImportProgressPrinter(sys.stderr, args.progress)
    try:
        with _open(args) as archive:
            for path in args.files:
                printer.start(cell(path))
                try:
                    result = import_file(
                        archive, path, session_id=args.session_id, progress=printer
                    )
                except (ReadError, ArchiveError) as exc:
                    failures += 1
                    printer.close()  # the error on a line of its own
                    fail(str(exc))
                    continue
                finally:
                    printer.close()  # also when interrupted
                stored += len(result.stored)
                for session_id in result.stored:
                    sys.stdout.write(f"imported {cell(session_id)} from {cell(path)}\n")
                if result.id_from_file_name and not _FUSE_SHAPED_ID.fullmatch(result.stored[0]):
                    sys.stderr.write(
                        f"fuse-tui: note: {cell(path)} does not say which call it is, so its "
                        f"file name was taken as the session ID ({cell(result.stored[0])}); "
                        "re-import it with --session-id ID if that is wrong\n"
                    )
                for session_id, reason in result.skipped:
                    sys.stderr.write(
                        f"fuse-tui: skipped {cell(session_id or '?')} in {cell(path)}: "
                        f"{cell(reason)}\n"
                    )
                if result.cut is not None:
                    failures += 1
                    fail(f"{cell(result.cut)} (fuse-tui archive sync)")
    except ArchiveError as exc:
        return fail(str(exc))
    sys.stderr.write(f"{plural(stored, 'call')} imported into {archive_path(args)}\n")
    return EXIT_ERROR if failures else EXIT_OK


# ---------------------------------------------------------------------------------------- sync
def _register_sync(actions: Any, common: argparse.ArgumentParser) -> None:
    sync = actions.add_parser(
        "sync",
        parents=[common],
        help="fetch every call log of a time window that is not archived yet",
        description="Lists the window's calls and fetches each log not yet archived. "
        "Interrupt at any time: re-running fetches only what is missing. "
        "-v/--verbose also lists every expired call.",
    )
    add_window_options(sync, default_since=SYNC_DEFAULT_SINCE)
    sync.add_argument(
        "--concurrency",
        type=argtypes.concurrency,
        default=DEFAULT_SYNC_CONCURRENCY,
        metavar="N",
        help=f"parallel fetches (default {DEFAULT_SYNC_CONCURRENCY}, "
        f"at most {argtypes.MAX_CONCURRENCY})",
    )
    # -v/--verbose (every command's: cli.add_diagnostic_options) also lists every expired call.
    sync.add_argument(
        "--progress",
        choices=["auto", "bar", "lines", "none"],
        default="auto",
        help="progress display (auto: a bar on a terminal, lines when piped)",
    )
    add_connection_options(sync)
    sync.set_defaults(func=run_sync)


class ProgressPrinter(ProgressLine):
    """The sync's progress: a one-line bar redrawn in place on a terminal, kept once the sync
    is done, or a plain line every few seconds (``"auto"`` when piped)."""

    _finished = False  # the final state is drawn

    def __call__(self, state: Any) -> None:
        if self.mode == "none":
            return
        finished = state.done >= state.total
        if finished and self._finished:
            return  # the final state is drawn once
        self._finished = finished
        if not self.due(finished):
            return
        eta = "--:--" if state.eta is None else _clock_text(state.eta)
        counts = (
            f"{state.done}/{state.total}  {state.rate:5.1f} calls/s  ETA {eta}  "
            f"(fetched {state.fetched}, archived before {state.already_archived}, "
            f"expired {state.expired}, failed {state.failed})"
        )
        if state.waiting_for_rate_limit:
            counts += "  [rate-limited: waiting]"
        if self.mode == "bar":
            width = BAR_WIDTH
            filled = int(width * state.done / state.total) if state.total else width
            self.redraw(f"[{'#' * filled}{'.' * (width - filled)}] {counts}")
            if finished:
                self.stream.write("\n")
                self._drawn = False
        else:
            self.stream.write(f"sync: {counts}\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _clock_text(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def run_sync(args: argparse.Namespace) -> int:
    import asyncio

    from fuse_tui.cli.remote import settings_from_args
    from fuse_tui.core.client import FuseError
    from fuse_tui.core.service import FuseService

    try:
        start, end = call_window(args, time.time(), default_since=SYNC_DEFAULT_SINCE)
    except ValueError as exc:
        sys.stderr.write(f"fuse-tui: error: {exc}\n")
        return EXIT_USAGE
    printer = ProgressPrinter(sys.stderr, args.progress)

    async def go() -> SyncReport:
        # --archive, else the settings' archive: the service's one rule, always on for a sync.
        settings = settings_from_args(args).model_copy(update={"archive_enabled": True})
        if args.archive:
            settings = settings.model_copy(update={"archive_path": args.archive})
        async with FuseService(settings) as service:
            return await service.sync(
                start, end, number=args.number, concurrency=args.concurrency, progress=printer
            )

    try:
        try:
            report = asyncio.run(go())
        finally:
            printer.close()
    except KeyboardInterrupt:
        sys.stderr.write(
            "fuse-tui: interrupted; everything fetched so far is archived — re-run to resume\n"
        )
        return EXIT_INTERRUPTED
    except (ArchiveError, FuseError) as exc:
        return fail(str(exc))
    verbose = getattr(args, "verbose", False) or getattr(args, "debug", False)
    return _print_sync_report(sys.stdout, report, start, end, verbose=verbose)


def _print_sync_report(
    out: TextIO, report: SyncReport, start: int, end: int, *, verbose: bool
) -> int:
    """The headline in the words the calls browser uses (``core.sync_summary``), each count on
    its own line for scripts, then what went wrong; exit 1 when a call failed."""
    from fuse_tui.core.sync_summary import summarize, sync_counts

    said = summarize(report)
    if report.listed:
        said = f"{plural(report.listed, 'call')} listed; {said}"
    out.write(f"Synced {_utc(start)} → {_utc(end)} in {report.elapsed:.1f}s: {said}\n")
    width = max(len(label) for label, _ in sync_counts(report)) + 2
    for label, count in sync_counts(report):
        out.write(f"  {f'{label}:':<{width}}{count}\n")
    if report.rate_limit_pauses:
        out.write(f"  rate-limit pauses: {report.rate_limit_pauses}\n")
    if verbose:
        for failure in report.expired:
            out.write(f"  expired {cell(failure.session_id)}: {cell(failure.reason)}\n")
    elif report.expired:
        out.write("  (expired: Fuse keeps detailed logs for 5 days; --verbose lists them)\n")
    for failure in report.failed:
        out.write(f"  failed {cell(failure.session_id)} ({failure.kind}): {cell(failure.reason)}\n")
    if report.failed:
        out.write("Re-run `fuse-tui archive sync` to retry the failed calls.\n")
        return EXIT_ERROR
    return EXIT_OK
