"""``fuse-tui show SOURCE``: print a call log (baseline; the core issue completes it)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fuse_tui.cli.common import EXIT_OK, fail
from fuse_tui.core.formats import LogsDocument, ReadError, dump_json, dump_ndjson, dump_xml, load_file, load_stdin


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("show", help="print a call log from a dump file or stdin")
    parser.add_argument("source", metavar="SOURCE", help="a dump file (JSON or XML) or - for stdin")
    parser.add_argument("--format", choices=["text", "json", "xml", "ndjson"], default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        document = load_stdin() if args.source == "-" else load_file(args.source)
    except ReadError as exc:
        return fail(str(exc))
    if not isinstance(document, LogsDocument):
        return fail(f"{args.source}: this is a call list, not a call log")
    out = sys.stdout.buffer
    if args.format == "ndjson":
        out.write(dump_ndjson(document.logs))
    for log in document.logs:
        if args.format == "json":
            out.write(dump_json(log))
        elif args.format == "xml":
            out.write(dump_xml(log))
        elif args.format == "text":
            for entry in log.entries:
                out.write(f"{entry.timestamp}\t{entry.kind}\t{entry.event.module_type}\t{entry.event.line!r}\n".encode())
    return EXIT_OK
