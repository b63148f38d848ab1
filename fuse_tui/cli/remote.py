"""``fuse-tui get`` and ``fuse-tui calls``: the Fuse API from a shell.

Also the connection options and helpers other commands reuse (``archive sync``, ``show
SESSION_ID``): :func:`add_connection_options`, :func:`settings_from_args`,
:func:`service_from_args`. Everything that talks to Fuse goes through ``core.service``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from fuse_tui.cli import argtypes
from fuse_tui.cli.common import EXIT_OK, EXIT_USAGE, fail
from fuse_tui.core.formats import LogsDocument
from fuse_tui.core.limits import DEFAULT_TIMEOUT_SECONDS
from fuse_tui.core.plural import plural
from fuse_tui.core.session_id import InvalidSessionIdError
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timestamps import epoch_seconds

if TYPE_CHECKING:  # the client (httpx) is imported only when a command talks to Fuse
    from fuse_tui.core.client import FetchedCall
    from fuse_tui.core.model import CallSummary
    from fuse_tui.core.service import FuseService
    from fuse_tui.core.settings import Settings

KEY_HELP = (
    "The developer key is never taken on the command line (it would show in `ps` and in shell "
    "history): set FUSE_DEVELOPER_KEY, or developer_key / developer_key_command in the config "
    "file (`fuse-tui config path`)."
)
DEFAULT_SINCE = "24h"


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """--base-url, --email, --timeout, --insecure-http, --ca-bundle (flags beat env and config)."""
    group = parser.add_argument_group("connection", KEY_HELP)
    group.add_argument(
        "--base-url", metavar="URL", help="Fuse API base URL (env FUSE_BASE_URL; default Plum's)"
    )
    group.add_argument("--email", metavar="EMAIL", help="Fuse login e-mail (env FUSE_EMAIL)")
    group.add_argument(
        "--timeout",
        type=argtypes.timeout_seconds,
        metavar="SECONDS",
        help=f"connect/read timeout (default {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    group.add_argument(
        "--insecure-http",
        action="store_true",
        default=None,
        help="allow sending credentials over plain http:// to a host that is not loopback",
    )
    group.add_argument(
        "--ca-bundle",
        metavar="PEM",
        help="CA certificates to trust (for TLS-inspecting proxies; env proxies are honoured)",
    )


def add_window_options(parser: argparse.ArgumentParser, *, default_since: str) -> None:
    """--since | --start [--end], and --number: the time window of ``calls`` and ``archive
    sync`` (read by :func:`call_window`)."""
    window = parser.add_mutually_exclusive_group()
    window.add_argument(
        "--since",
        type=argtypes.duration,
        metavar="AGE",
        help=f"calls of the last AGE (e.g. 30m, 24h, 5d; default {default_since})",
    )
    window.add_argument(
        "--start", type=argtypes.epoch, metavar="EPOCH", help="window start (with --end)"
    )
    parser.add_argument(
        "--end", type=argtypes.epoch, metavar="EPOCH", help="window end (default: now)"
    )
    parser.add_argument(
        "--number",
        type=argtypes.phone_number,
        metavar="PHONE",
        help="only calls of this deployment number, as you would type it (+1 617 555-0142)",
    )


def add_archive_options(parser: argparse.ArgumentParser) -> None:
    """--archive PATH / --no-archive for commands that fetch a call (every fetch is archived)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--archive",
        dest="archive_path",
        metavar="PATH",
        help="archive file that keeps every fetched log (default: `fuse-tui archive path`)",
    )
    group.add_argument(
        "--no-archive",
        dest="archive_enabled",
        action="store_false",
        default=None,
        help="do not keep this fetch in the local archive",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings with this command's flags on top; config warnings go to stderr."""
    from fuse_tui.core.settings import load_settings

    settings = load_settings(
        base_url=getattr(args, "base_url", None),
        email=getattr(args, "email", None),
        timeout=getattr(args, "timeout", None),
        insecure_http=getattr(args, "insecure_http", None),
        ca_bundle=getattr(args, "ca_bundle", None),
        archive_path=getattr(args, "archive_path", None),
        archive_enabled=getattr(args, "archive_enabled", None),
    )
    for warning in settings.warnings:
        sys.stderr.write(f"fuse-tui: warning: {warning}\n")
    # Every caller builds a FuseService, which has every log record scrub these credentials.
    return settings


def service_from_args(args: argparse.Namespace) -> FuseService:
    """The one core service for this command's settings (see ``core.service``)."""
    from fuse_tui.core.service import FuseService

    return FuseService(settings_from_args(args))


async def fetch_from_args(args: argparse.Namespace, session_id: str, fmt: str) -> FetchedCall:
    """Fetch through the service (which archives it, or gives the archived copy when Fuse
    cannot: the policy in ``core.service``); its note or warning goes to stderr."""
    async with service_from_args(args) as service:
        result = await service.fetch(session_id, fmt)
    if result.note:
        sys.stderr.write(f"fuse-tui: note: {escape_control(result.note)}\n")
    if result.warning:
        sys.stderr.write(f"fuse-tui: warning: {escape_control(result.warning)}\n")
    return result.fetched


def fetch_session(args: argparse.Namespace, session_id: str, fmt: str = "json") -> FetchedCall:
    """Fetch one call for a CLI command; FuseError / InvalidSessionIdError propagate."""
    import asyncio  # only the commands that talk to Fuse pay for its import (~15 ms)

    return asyncio.run(fetch_from_args(args, session_id, fmt))


# -- registration ---------------------------------------------------------------------------------
def register(subparsers: Any) -> None:
    get = subparsers.add_parser(
        "get",
        help="download one call log from Fuse, exactly as served",
        description="Download the detailed log of one call, byte for byte as Fuse serves it.",
    )
    get.add_argument("session_id", metavar="SESSION_ID", help="e.g. '300060;001;1529552581'")
    get.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    get.add_argument("--format", choices=["json", "xml"], default="json", help="answer format")
    add_connection_options(get)
    add_archive_options(get)
    get.set_defaults(func=run_get)

    calls = subparsers.add_parser(
        "calls",
        help="list the calls of a time window",
        description="List calls with start time, duration, from, to, type and whether their "
        "detailed log is still available (Fuse keeps logs for 5 days).",
    )
    add_window_options(calls, default_since=DEFAULT_SINCE)
    calls.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: a table (default); json: the calls as Fuse lists them",
    )
    calls.add_argument("--utc", action="store_true", help="show times in UTC (default: local)")
    add_connection_options(calls)
    calls.set_defaults(func=run_calls)


# -- get ------------------------------------------------------------------------------------------
def run_get(args: argparse.Namespace) -> int:
    from fuse_tui.core.client import FuseError

    try:
        fetched = fetch_session(args, args.session_id, args.format)
    except (FuseError, InvalidSessionIdError) as exc:
        return fail(str(exc))
    if args.output:
        try:
            from fuse_tui.core.formats import atomic_write

            atomic_write(args.output, fetched.raw)
        except OSError as exc:
            return fail(f"cannot write {args.output}: {exc.strerror or exc}")
        sys.stderr.write(
            f"saved {len(fetched.raw)} bytes ({fetched.format}) of session "
            f"{escape_control(fetched.session_id or args.session_id)} to {args.output}\n"
        )
        return EXIT_OK
    if sys.stdout.isatty():
        # Exactly as served, except that nothing in it may drive the terminal.
        text = fetched.raw.decode("utf-8", errors="replace")
        sys.stdout.write(escape_control(text, one_line=False))
        sys.stdout.flush()
    else:
        sys.stdout.buffer.write(fetched.raw)
        sys.stdout.buffer.flush()
    return EXIT_OK


# -- calls ----------------------------------------------------------------------------------------
def call_window(
    args: argparse.Namespace, now: float, default_since: str = DEFAULT_SINCE
) -> tuple[int, int]:
    """``[start, end)`` from --since (seconds, see argtypes.duration) or --start/--end;
    ValueError says what is wrong."""
    from fuse_tui.core.durations import parse_duration

    if args.start is not None:
        end = args.end if args.end is not None else int(now) + 1
        if end <= args.start:
            raise ValueError("--end must be after --start")
        return args.start, end
    if args.end is not None:
        raise ValueError("--end needs --start (or use --since)")
    span = args.since if args.since is not None else parse_duration(default_since)
    # +1: the window is [start, end) and a call that started this very second belongs in it.
    return int(now) - span, int(now) + 1


async def _collect(args: argparse.Namespace, start: int, end: int) -> list[CallSummary]:
    async with service_from_args(args) as service:
        return [call async for call in service.list_calls(start, end, args.number)]


def by_start(call: CallSummary) -> tuple[bool, int, str]:
    """Oldest first, read in any unit (``core.timestamps``); a start that is no time last."""
    seconds = epoch_seconds(call.start)
    return (seconds is None, seconds or 0, call.session_id)


def run_calls(args: argparse.Namespace) -> int:
    try:
        start, end = call_window(args, time.time())
    except ValueError as exc:
        sys.stderr.write(f"fuse-tui: error: {exc}\n")
        return EXIT_USAGE
    from fuse_tui.core.client import FuseError

    try:
        import asyncio

        calls = asyncio.run(_collect(args, start, end))
    except FuseError as exc:
        return fail(str(exc))
    calls.sort(key=by_start)
    if args.format == "json":
        document = {
            "calls": [call.model_dump(mode="json") for call in calls],
            "total_calls": len(calls),
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif calls:
        from fuse_tui.cli.call_table import call_table_lines

        sys.stdout.write("\n".join(call_table_lines(calls, utc=args.utc)) + "\n")
        available = sum(1 for call in calls if call.log)
        sys.stderr.write(f"{plural(len(calls), 'call')}, {available:,} with a detailed log\n")
    else:
        sys.stderr.write("no calls in this window\n")
    return EXIT_OK


# -- show SESSION_ID ------------------------------------------------------------------------------


def fetch_document(args: argparse.Namespace, session_id: str) -> LogsDocument:
    """``show SESSION_ID``: the call fetched from Fuse, as a document ``render_document`` prints."""
    fetched = fetch_session(args, session_id, "json")
    return LogsDocument([fetched.log], "call", fetched.format)
