"""``fuse-tui summary SOURCE``: the story of a call — what the caller heard and entered, which
back-end call failed or was slow, where the call went, how it ended (``core.story``).

SOURCE is read as ``show`` reads it (``cli.source_loading``); an all_logs dump gives one story
per call. The story is built from the CallLog as read: whatever prepares that log (a redaction)
prepares the story with it.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Iterable
from itertools import islice
from typing import IO, Any

from fuse_tui.cli.argtypes import integer
from fuse_tui.cli.common import EXIT_OK, fail, usage_error
from fuse_tui.cli.show import _write_bytes, _write_text, report_problems
from fuse_tui.core.formats import CallListDocument
from fuse_tui.core.story import DEFAULT_GAP_SECONDS, build_story

FORMATS = ("text", "markdown", "json", "html")
# A wait longer than a day is no wait within a call; 1 s is the log's resolution.
MAX_GAP_SECONDS = 86_400


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "summary",
        help="tell the story of a call: prompts, caller input, back-end calls, waits, ending",
        description="Tell the story of a call log step by step: the application, what the "
        "caller heard and entered, each back-end call (REST, SOAP, e-mail, SMS, JS…) with its "
        "outcome, transfers, errors, long waits and how the call ended. SOURCE is read as "
        "`show` reads it; a dump of many calls gives one story per call.",
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
        help="text (default); markdown for a ticket; json for scripts (see the README's "
        "'Call story' for its keys); html: one self-contained page with the event list",
    )
    parser.add_argument(
        "--gap",
        metavar="SECONDS",
        type=integer(1, MAX_GAP_SECONDS),
        default=DEFAULT_GAP_SECONDS,
        help=f"a silence this long between two entries is a long wait (default "
        f"{DEFAULT_GAP_SECONDS})",
    )
    parser.add_argument(
        "--utc", action="store_true", help="times in UTC instead of the local time zone"
    )
    parser.add_argument(
        "--redact",
        action="store_true",
        help="mask caller inputs, phone numbers, e-mail addresses and sensitive values "
        "(the same value, the same token; see the README's 'Redaction') for a ticket",
    )
    from fuse_tui.cli.remote import add_archive_options, add_connection_options

    add_connection_options(parser)
    add_archive_options(parser)
    parser.set_defaults(func=run)


# Codecs that encode text character by character (no byte order mark, no state): the bytes of
# lines encoded together are those of each line encoded alone.
_STATELESS_CODECS = frozenset({"utf-8", "ascii", "iso8859-1"})
_LINES_PER_WRITE = 4096


def _write_lines(out: IO[str], lines: Iterable[str]) -> None:
    """``show._write_text(out, lines)``, byte for byte: a long call's 100k lines are encoded
    and written a few thousand at a time where the codec allows it (else line by line)."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    buffer = getattr(out, "buffer", None)
    try:
        stateless = codecs.lookup(encoding).name in _STATELESS_CODECS
    except LookupError:
        stateless = False
    if buffer is None or not stateless:
        _write_text(out, lines)
        return
    out.flush()
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == _LINES_PER_WRITE:
            buffer.write(("\n".join(batch) + "\n").encode(encoding, "backslashreplace"))
            batch.clear()
    if batch:
        buffer.write(("\n".join(batch) + "\n").encode(encoding, "backslashreplace"))
    buffer.flush()
    out.flush()


def utf8_lines(lines: Iterable[str]) -> bytes:
    """``("\n".join(lines) + "\n").encode("utf-8")``, byte for byte (UTF-8 encodes character
    by character), a batch of lines at a time: one arrow in a note would otherwise widen the
    whole joined page (a long call's is tens of megabytes) to two bytes a character, and the
    encoding would read it all again."""
    remaining = iter(lines)
    batches = [
        "\n".join(batch).encode("utf-8")
        for batch in iter(lambda: list(islice(remaining, _LINES_PER_WRITE)), [])
    ]
    return b"\n".join(batches) + b"\n"


def run(args: argparse.Namespace) -> int:
    from fuse_tui.cli.source_loading import SourceError, load_source

    try:
        loaded = load_source(args, args.source)
    except SourceError as exc:
        return usage_error(exc.message) if exc.usage else fail(exc.message)
    if args.redact:
        # Redacted before the story is told: its steps, inputs and the HTML's event list all
        # come from the redacted log, with tokens shared by every call of the source.
        from fuse_tui.core.client import FuseError
        from fuse_tui.core.redact import RedactConfigError, redact_document
        from fuse_tui.core.redact.config import configured_rules

        try:
            loaded = redact_document(loaded, configured_rules())
        except (FuseError, RedactConfigError) as exc:
            return fail(str(exc))
    if isinstance(loaded, CallListDocument):
        return fail(
            "this is a call list, not a call log: summary tells the story of a call's log "
            "(pass a session ID from it, or an all_logs dump)"
        )
    logs = list(loaded.logs)
    out = sys.stdout
    if args.format == "html":
        from fuse_tui.core.story.build import build_story_and_views
        from fuse_tui.core.story.render_html import stories_html

        # The page reads every entry again for its event list: the views the story was built
        # from, not the entries' models.
        told = [build_story_and_views(log, gap_seconds=args.gap) for log in logs]
        stories = [story for story, _ in told]
        views = [entries for _, entries in told]
        _write_bytes(out, utf8_lines(stories_html(stories, logs, utc=args.utc, entries=views)))
    else:
        stories = [build_story(log, gap_seconds=args.gap) for log in logs]
    if args.format == "json":
        from fuse_tui.core.story.render_json import stories_json

        _write_bytes(out, stories_json(stories, args.gap).encode("utf-8"))
    elif args.format == "markdown":
        from fuse_tui.core.story.render_markdown import stories_markdown

        _write_lines(out, stories_markdown(stories, utc=args.utc))
    elif args.format == "text":
        from fuse_tui.core.story.render_text import stories_text

        _write_lines(out, stories_text(stories, utc=args.utc))
    if not logs and not loaded.problems:
        sys.stderr.write("fuse-tui: the source holds no call\n")
        return EXIT_OK
    return report_problems(args.source, loaded)
