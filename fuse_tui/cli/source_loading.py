"""What a SOURCE word of the command line gives: a document read from a file or stdin, or fetched
from Fuse (through the service: archive fallback included) when it names a session ID.

One path for every command that takes a SOURCE (``show``, ``diff``): the rule of what a word names
is :func:`core.sources.classify_source`; this module turns it into a document or one sentence.
"""

from __future__ import annotations

import argparse
import sys

from fuse_tui.core.formats import Document, ReadError, load
from fuse_tui.core.formats.reader import read_capped, read_file
from fuse_tui.core.sources import SourceKind, classify_source
from fuse_tui.core.textsafe import escape_control


class SourceError(Exception):
    """The source gave no document: ``message`` says why in one sentence; ``usage`` is True
    when the command line itself is wrong (the word names nothing), False for a failed read."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


def read_source(source: str) -> Document:
    """A dump file, or stdin for ``-``. Raises ReadError (one-line message) on any failure.

    An answer of many calls of which some cannot be read gives the others; those are in
    ``LogsDocument.problems``.
    """
    return read_document(source_data(source), source)


def source_data(source: str) -> bytes:
    """The bytes of a dump file, or of stdin for ``-`` (the guards of ``read_capped``).
    Raises ReadError (one-line message) when they cannot be read."""
    return read_capped(sys.stdin.buffer, "stdin") if source == "-" else read_file(source)


def read_document(data: bytes, source: str) -> Document:
    """The document in ``data``, read from ``source`` (a file, or ``-`` for stdin), as
    ``load_file`` / ``load_stdin`` read it. Raises ReadError."""
    return load(data, source="stdin" if source == "-" else source, partial=True)


def load_source(args: argparse.Namespace, source: str, data: bytes | None = None) -> Document:
    """The document ``source`` names (see the module docstring); SourceError if none.

    ``args`` carries the connection and archive options (``remote.add_connection_options``,
    ``add_archive_options``) used when ``source`` is a session ID. ``data``: the bytes of the
    file or stdin ``source`` names, when the caller has read them already (``source_data``).
    """
    if data is not None:
        try:
            return read_document(data, source)
        except ReadError as exc:
            raise SourceError(str(exc)) from None
    kind = classify_source(source)
    if kind is SourceKind.UNKNOWN:
        raise SourceError(
            f"{escape_control(source)}: no such file, and not a session ID (those hold "
            "digits, such as '300060;001;1529552581')",
            usage=True,
        )
    if kind is SourceKind.SESSION:
        from fuse_tui.cli.remote import fetch_document
        from fuse_tui.core.client import FuseError, MissingCredentialsError
        from fuse_tui.core.session_id import InvalidSessionIdError

        try:
            return fetch_document(args, source)
        except MissingCredentialsError:
            # Most likely a mistyped file name rather than a session ID.
            raise SourceError(
                f"{escape_control(source)}: no such file, and no Fuse credentials are set "
                "to fetch it as a session ID (set FUSE_EMAIL and FUSE_DEVELOPER_KEY, or run "
                "`fuse-tui config set-credentials`)"
            ) from None
        except (FuseError, InvalidSessionIdError) as exc:
            raise SourceError(str(exc)) from None
    try:
        return read_source(source)
    except ReadError as exc:
        raise SourceError(str(exc)) from None
