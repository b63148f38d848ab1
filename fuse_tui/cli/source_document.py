"""SOURCE as ``show`` reads it, for every command that prints a call: a dump file, ``-`` for
stdin, or a session ID (or pasted /api/call/ URL) fetched from Fuse, through the service's
archive fallback. One reading, so ``show`` and ``summary`` accept the same SOURCEs and fail on
them with the same sentences.
"""

from __future__ import annotations

import argparse

from fuse_tui.cli.common import fail, usage_error
from fuse_tui.core.formats import Document, ReadError, load_file, load_stdin
from fuse_tui.core.sources import SourceKind, classify_source
from fuse_tui.core.textsafe import escape_control


def read_source(source: str) -> Document:
    """A dump file, or stdin for ``-``. Raises ReadError (one-line message) on any failure.

    An answer of many calls of which some cannot be read gives the others; those are in
    ``LogsDocument.problems``.
    """
    return load_stdin(partial=True) if source == "-" else load_file(source, partial=True)


def load_source_document(args: argparse.Namespace) -> Document | int:
    """The document ``args.source`` names, or the exit status after saying why there is none.

    ``args`` carries the connection and archive options (``cli.remote``) for a session ID.
    """
    # The one rule for what SOURCE names (core.sources), shared with the TUI's launcher.
    kind = classify_source(args.source)
    if kind is SourceKind.UNKNOWN:
        return usage_error(
            f"{escape_control(args.source)}: no such file, and not a session ID (those hold "
            "digits, such as '300060;001;1529552581')"
        )
    if kind is SourceKind.SESSION:
        from fuse_tui.cli.remote import fetch_document
        from fuse_tui.core.client import FuseError, MissingCredentialsError
        from fuse_tui.core.session_id import InvalidSessionIdError

        try:
            return fetch_document(args, args.source)
        except MissingCredentialsError:
            # Most likely a mistyped file name rather than a session ID.
            return fail(
                f"{escape_control(args.source)}: no such file, and no Fuse credentials are set "
                "to fetch it as a session ID (set FUSE_EMAIL and FUSE_DEVELOPER_KEY, or run "
                "`fuse-tui config set-credentials`)"
            )
        except (FuseError, InvalidSessionIdError) as exc:
            return fail(str(exc))
    try:
        return read_source(args.source)
    except ReadError as exc:
        return fail(str(exc))
